//! The README's tour, on the real binary: `easel serve` on port 0 with an empty data folder
//! creates the demo organization and prints tokens, a sign-in link for the console and three
//! `curl` commands; each command works as printed; SIGTERM stops the server cleanly; a
//! restart keeps the data and makes no second demo.

mod common;

use common::{json, sh, start, stop};

#[test]
fn the_readme_tour_works_as_printed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let server = start(&data, true);
    let curls: Vec<String> = server
        .lines
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| l.starts_with("curl "))
        .collect();
    let admin = server.printed("admin token (Ana, company admin):");
    // A one-time link that signs Ana in to the console, and how to get another.
    let link = server.printed("sign in to the console as Ana:");
    assert!(
        link.starts_with(&format!("{}/ui/sign-in?link=lnk_ana_demo.", server.base())),
        "{link}"
    );
    assert!(
        server
            .lines
            .iter()
            .any(|l| l.contains("easel login-link --user usr_ana")),
        "{:?}",
        server.lines
    );

    // 1. The boards Ana can see.
    let boards = json(&sh(&curls[0]));
    let ids: Vec<&str> = boards["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{boards}"))
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"brd_brand") && ids.contains(&"brd_roadmap"),
        "{boards}"
    );
    // 2. May Gil, a guest and commenter, edit the wireframes? No, and why.
    let answer = json(&sh(&curls[1]));
    assert_eq!(answer["allowed"], false, "{answer}");
    assert_eq!(
        answer["deniedBy"]["code"], "authority.role_too_low",
        "{answer}"
    );
    // 3. Everyone with access to the roadmap, and through which channel.
    let access = json(&sh(&curls[2]));
    let cy = access["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{access}"))
        .iter()
        .find(|a| a["id"] == "usr_cy")
        .unwrap_or_else(|| panic!("{access}"));
    assert!(
        cy["channels"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x["channel"] == "project")),
        "{access}"
    );
    stop(server);

    // A restart: the same data, no second demo, and the token from the first start works.
    let again = start(&data, false);
    assert!(
        !again.lines.iter().any(|l| l.contains("demo organization")),
        "{:?}",
        again.lines
    );
    let base2 = again.base();
    let boards = json(&sh(&format!(
        "curl -s {base2}/v2/boards -H 'Authorization: Bearer {admin}'"
    )));
    assert!(
        boards["data"].as_array().is_some_and(|d| !d.is_empty()),
        "{boards}"
    );
    stop(again);
}
