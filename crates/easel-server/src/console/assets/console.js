// Easel console: small enhancements of pages that work without script.
"use strict";
document.addEventListener("click", function (event) {
  // A "Copy" button copies the value of the field it names.
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(field.value).then(function () {
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (status) status.textContent = "Copied";
  });
});
document.addEventListener("submit", function (event) {
  // Forms that change something irreversibly ask first; the server asks again where it matters.
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
