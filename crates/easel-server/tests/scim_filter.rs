//! SCIM filters and paths: RFC 7644's examples parse to the trees they mean and match the
//! resources they should; bad input is refused and never panics; a printed filter parses
//! back to itself; evaluation agrees with a plain reference model.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

use easel_server::scim::filter::{
    self, AttrPath, AttrType, CompValue, CompareOp, Filter, MAX_DEPTH, MAX_FILTER_BYTES, check,
    matches, parse,
};
use easel_server::scim::path::{PatchPath, PathError, parse_attribute_list, parse_path};
use proptest::prelude::*;
use serde_json::{Value, json};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn path(text: &str) -> AttrPath {
    AttrPath::parse(text).unwrap()
}

fn cmp(p: &str, op: CompareOp, value: CompValue) -> Filter {
    Filter::Compare {
        path: path(p),
        op,
        value,
    }
}

fn s(text: &str) -> CompValue {
    CompValue::String(text.to_owned())
}

fn pr(p: &str) -> Filter {
    Filter::Present { path: path(p) }
}

fn and(a: Filter, b: Filter) -> Filter {
    Filter::And(Box::new(a), Box::new(b))
}

fn or(a: Filter, b: Filter) -> Filter {
    Filter::Or(Box::new(a), Box::new(b))
}

fn not(a: Filter) -> Filter {
    Filter::Not(Box::new(a))
}

fn values(attr: &str, filter: Filter) -> Filter {
    Filter::ValuePath {
        attr: path(attr),
        filter: Box::new(filter),
    }
}

/// Babs Jensen, close to RFC 7643 §8.2's full user.
fn bjensen() -> Value {
    json!({
        "schemas": [CORE, ENTERPRISE],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"familyName": "O'Malley", "givenName": "Barbara"},
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "meta": {
            "resourceType": "User",
            "lastModified": "2011-08-01T18:29:49.793Z",
            "version": "W/\"a330bc54f0671c9\""
        },
        ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}
    })
}

fn holds(filter: &str, resource: &Value) -> bool {
    matches(&parse(filter).unwrap(), resource)
}

#[test]
fn rfc_examples_parse_to_what_they_mean() {
    use CompareOp::*;
    let cases: Vec<(&str, Filter)> = vec![
        ("userName eq \"bjensen\"", cmp("userName", Eq, s("bjensen"))),
        (
            "name.familyName co \"O'Malley\"",
            cmp("name.familyName", Co, s("O'Malley")),
        ),
        ("userName sw \"J\"", cmp("userName", Sw, s("J"))),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            cmp(&format!("{CORE}:userName"), Sw, s("J")),
        ),
        ("title pr", pr("title")),
        (
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            cmp("meta.lastModified", Gt, s("2011-05-13T04:42:34Z")),
        ),
        (
            "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
            cmp("meta.lastModified", Ge, s("2011-05-13T04:42:34Z")),
        ),
        (
            "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
            cmp("meta.lastModified", Lt, s("2011-05-13T04:42:34Z")),
        ),
        (
            "meta.lastModified le \"2011-05-13T04:42:34Z\"",
            cmp("meta.lastModified", Le, s("2011-05-13T04:42:34Z")),
        ),
        (
            "title pr and userType eq \"Employee\"",
            and(pr("title"), cmp("userType", Eq, s("Employee"))),
        ),
        (
            "title pr or userType eq \"Intern\"",
            or(pr("title"), cmp("userType", Eq, s("Intern"))),
        ),
        (
            "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
            cmp("schemas", Eq, s(ENTERPRISE)),
        ),
        (
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            and(
                cmp("userType", Eq, s("Employee")),
                or(
                    cmp("emails", Co, s("example.com")),
                    cmp("emails.value", Co, s("example.org")),
                ),
            ),
        ),
        (
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            and(
                cmp("userType", Ne, s("Employee")),
                not(or(
                    cmp("emails", Co, s("example.com")),
                    cmp("emails.value", Co, s("example.org")),
                )),
            ),
        ),
        (
            "userType eq \"Employee\" and (emails.type eq \"work\")",
            and(
                cmp("userType", Eq, s("Employee")),
                cmp("emails.type", Eq, s("work")),
            ),
        ),
        (
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            and(
                cmp("userType", Eq, s("Employee")),
                values(
                    "emails",
                    and(
                        cmp("type", Eq, s("work")),
                        cmp("value", Co, s("@example.com")),
                    ),
                ),
            ),
        ),
        (
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            or(
                values(
                    "emails",
                    and(
                        cmp("type", Eq, s("work")),
                        cmp("value", Co, s("@example.com")),
                    ),
                ),
                values(
                    "ims",
                    and(cmp("type", Eq, s("xmpp")), cmp("value", Co, s("@foo.com"))),
                ),
            ),
        ),
        ("not (userName eq \"x\")", not(cmp("userName", Eq, s("x")))),
    ];
    for (text, expected) in cases {
        let parsed = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parsed, expected, "{text}");
        assert_eq!(
            parse(&parsed.to_string()).unwrap(),
            expected,
            "{text} printed"
        );
    }
}

#[test]
fn rfc_examples_match_babs() {
    let babs = bjensen();
    let yes = [
        "userName eq \"bjensen@example.com\"",
        "name.familyName co \"O'Malley\"",
        "userName sw \"B\"",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"b\"",
        "title pr",
        "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
        "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
        "title pr and userType eq \"Employee\"",
        "title pr or userType eq \"Intern\"",
        "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
        "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
        "userType eq \"Employee\" and (emails.type eq \"work\")",
        "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
        "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
        "not (userName eq \"x\")",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value sw \"26118915\"",
        "emails[primary eq true]",
        "active eq true",
        "active ne false",
        "name pr",
    ];
    for filter in yes {
        assert!(holds(filter, &babs), "{filter}");
    }
    let no = [
        "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
        "meta.lastModified le \"2011-05-13T04:42:34Z\"",
        "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
        "emails[type eq \"work\" and value co \"@jensen.org\"]",
        "ims[type eq \"xmpp\"]",
        "nickName pr",
        // Extension attributes live under their URN, not at the top level.
        "employeeNumber eq \"701984\"",
        "urn:ietf:params:scim:schemas:extension:other:1.0:User:userName pr",
        // Booleans order nothing, and types never mix.
        "active gt false",
        "active eq \"true\"",
        "title eq 3",
    ];
    for filter in no {
        assert!(!holds(filter, &babs), "{filter}");
    }
}

#[test]
fn and_binds_tighter_than_or_and_both_group_left() {
    let (a, b, c) = (pr("a"), pr("b"), pr("c"));
    assert_eq!(
        parse("a pr or b pr and c pr").unwrap(),
        or(a.clone(), and(b.clone(), c.clone()))
    );
    assert_eq!(
        parse("a pr and b pr or c pr").unwrap(),
        or(and(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        parse("a pr and b pr and c pr").unwrap(),
        and(and(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        parse("(a pr or b pr) and c pr").unwrap(),
        and(or(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        parse("not (a pr) or b pr and not (c pr)").unwrap(),
        or(not(a), and(b, not(c)))
    );
    // Precedence decides matching too: true or (true and false) is true.
    let r = json!({"a": "x", "b": "y"});
    assert!(holds("a pr or b pr and c pr", &r));
    assert!(!holds("(a pr or b pr) and c pr", &r));
}

#[test]
fn operators_keywords_and_names_ignore_case() {
    let babs = bjensen();
    assert_eq!(
        parse("USERNAME EQ \"x\" AND Title Pr OR NOT (active Eq TRUE)").unwrap(),
        or(
            and(cmp("USERNAME", CompareOp::Eq, s("x")), pr("Title")),
            not(cmp("active", CompareOp::Eq, CompValue::Bool(true)))
        )
    );
    // The name is kept as written, and compared ignoring case.
    let parsed = parse("USERNAME eq \"x\"").unwrap();
    let Filter::Compare { path: p, .. } = &parsed else {
        panic!("{parsed:?}")
    };
    assert_eq!(p.name, "USERNAME");
    assert!(p.same_as(&AttrPath::new("userName")));
    for filter in [
        "USERNAME eq \"BJENSEN@EXAMPLE.COM\"",
        "username Eq \"bjensen@example.com\"",
        "EMAILS[TYPE eq \"WORK\"]",
        "Emails.Value co \"JENSEN.ORG\"",
        "META.LASTMODIFIED GT \"2011-05-13T04:42:34Z\"",
        "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME pr",
    ] {
        assert!(holds(filter, &babs), "{filter}");
    }
}

#[test]
fn case_exact_attributes_compare_with_case() {
    let babs = bjensen();
    assert!(holds("externalId eq \"701984\"", &babs));
    assert!(holds(
        "id eq \"2819c223-7f76-453a-919d-413861904646\"",
        &babs
    ));
    assert!(!holds(
        "id eq \"2819C223-7F76-453A-919D-413861904646\"",
        &babs
    ));
    assert!(!holds("meta.resourceType eq \"user\"", &babs));
    assert!(holds("meta.resourceType eq \"User\"", &babs));
    // A hook given by the routes decides instead.
    let everything_exact = |_: &AttrPath| true;
    let f = parse("userName eq \"BJENSEN@example.com\"").unwrap();
    assert!(matches(&f, &babs));
    assert!(!filter::matches_with(&f, &babs, &everything_exact));
    // Inside a value filter the hook hears the full path.
    let asked = std::cell::RefCell::new(Vec::new());
    let record = |p: &AttrPath| {
        asked.borrow_mut().push(p.to_string());
        false
    };
    filter::matches_with(&parse("emails[type eq \"work\"]").unwrap(), &babs, &record);
    assert!(asked.borrow().iter().all(|p| p == "emails.type"));
    assert!(!asked.borrow().is_empty());
}

#[test]
fn date_times_compare_as_instants() {
    let r = json!({"meta": {"lastModified": "2011-05-13T06:42:34+02:00"}});
    assert!(holds("meta.lastModified eq \"2011-05-13T04:42:34Z\"", &r));
    assert!(holds("meta.lastModified ge \"2011-05-13T04:42:34Z\"", &r));
    assert!(!holds("meta.lastModified gt \"2011-05-13T04:42:34Z\"", &r));
    assert!(holds(
        "meta.lastModified lt \"2011-05-13T04:42:34.001Z\"",
        &r
    ));
    // As strings, "2011-05-13T06..." sorts after "2011-05-13T05...": instants say earlier.
    assert!(holds("meta.lastModified lt \"2011-05-13T05:00:00Z\"", &r));
}

#[test]
fn presence_and_null() {
    let r = json!({
        "empty": "", "nothing": null, "none": [], "blank": [{"value": null}],
        "zero": 0, "no": false, "some": [{"value": "x"}]
    });
    for (attr, present) in [
        ("empty", false),
        ("nothing", false),
        ("none", false),
        ("blank", false),
        ("absent", false),
        ("zero", true),
        ("no", true),
        ("some", true),
    ] {
        assert_eq!(holds(&format!("{attr} pr"), &r), present, "{attr} pr");
        assert_eq!(
            holds(&format!("{attr} eq null"), &r),
            !present,
            "{attr} eq null"
        );
        assert_eq!(
            holds(&format!("{attr} ne null"), &r),
            present,
            "{attr} ne null"
        );
        assert!(!holds(&format!("{attr} gt null"), &r), "{attr} gt null");
    }
}

#[test]
fn numbers_and_multi_valued_strings() {
    let r = json!({"count": 5, "ratio": 0.5, "tags": ["Red", "green"]});
    assert!(holds("count eq 5", &r));
    assert!(holds("count eq 5.0", &r));
    assert!(holds("count gt 4.5 and count lt 6", &r));
    assert!(holds("ratio le 5e-1", &r));
    assert!(!holds("count co 5", &r));
    assert!(holds("tags eq \"red\"", &r));
    assert!(holds("tags sw \"GR\"", &r));
    assert!(holds("tags ne \"red\"", &r), "some value is not red");
    assert!(!holds("tags ew \"x\"", &r));
}

fn refused(text: &str) -> String {
    match parse(text) {
        Ok(f) => panic!("{text:?} parsed as {f:?}"),
        Err(e) => {
            assert_eq!(e.scim_type(), "invalidFilter");
            e.message
        }
    }
}

#[test]
fn bad_filters_are_refused() {
    for text in [
        "",
        "   ",
        "userName eq \"bjensen",
        "userName eq \"bad \\q escape\"",
        "userName eq \"raw\u{1}control\"",
        "userName xx \"a\"",
        "userName",
        "userName eq",
        "userName eq \"a\" foo",
        "userName eq \"a\" and",
        "userName eq \"a\" or or b pr",
        "userName eq 'single'",
        "userName eq bjensen",
        "userName eq 01",
        "userName eq 1e999",
        "userName eq +1",
        "(userName pr",
        "userName pr)",
        "()",
        "not userName pr",
        "not (userName pr",
        "emails[type eq \"work\"",
        "emails[type eq \"work\"]]",
        "emails[]",
        "emails[types[value pr]]",
        "emails[urn:a:b:type pr]",
        "emails[type.sub pr]",
        "name.givenName[value pr]",
        "1abc pr",
        "-x pr",
        "a..b pr",
        "a.b.c pr",
        "urn:x pr",
        "user#name pr",
        "userName eq \"a\" & b pr",
        "userName é \"a\"",
        "[a pr]",
    ] {
        let message = refused(text);
        assert!(!message.is_empty(), "{text:?}");
    }
    assert!(refused("userName eq \"bjensen").contains("closing"));
    assert!(refused("userName xx \"a\"").contains("operator"));
    assert!(refused("userName eq \"a\" foo").contains("foo"));
    assert!(refused("").contains("empty"));
}

#[test]
fn nesting_and_length_are_bounded() {
    let nest = |depth: usize| format!("{}a pr{}", "(".repeat(depth), ")".repeat(depth));
    assert!(parse(&nest(MAX_DEPTH)).is_ok());
    assert!(refused(&nest(MAX_DEPTH + 1)).contains("nests"));
    let nots = |depth: usize| format!("{}a pr{}", "not (".repeat(depth), ")".repeat(depth));
    assert!(parse(&nots(MAX_DEPTH)).is_ok());
    assert!(refused(&nots(MAX_DEPTH + 1)).contains("nests"));
    // Far too deep: refused at the limit, not by running out of stack.
    assert!(refused(&"(".repeat(MAX_FILTER_BYTES)).contains("nests"));
    assert!(refused(&"not (".repeat(800)).contains("nests"));
    // A value filter counts as a level.
    let inside = format!(
        "emails[{}type pr{}]",
        "(".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    assert!(refused(&inside).contains("nests"));

    let long = format!("userName eq \"{}\"", "x".repeat(MAX_FILTER_BYTES));
    assert!(refused(&long).contains("longer"));
    let fits = format!("userName eq \"{}\"", "x".repeat(MAX_FILTER_BYTES - 20));
    assert!(parse(&fits).is_ok());
    // A long flat chain is fine (and evaluates without trouble).
    let chain = vec!["a pr"; 400].join(" and ");
    assert!(chain.len() <= MAX_FILTER_BYTES);
    assert!(holds(&chain, &json!({"a": 1})));
}

#[test]
fn the_deepest_filter_that_fits_is_handled_on_a_small_stack() {
    // `and`/`or` runs group to the left without nesting, so the tree of a filter as long as
    // allowed is hundreds deep; evaluating, printing and checking walk runs in a loop.
    let chain = vec!["a pr"; 512].join(" or ");
    assert!(chain.len() <= MAX_FILTER_BYTES);
    let worker = std::thread::Builder::new()
        // A fraction of a tokio worker's 2 MiB, in a debug build.
        .stack_size(64 * 1024)
        .spawn({
            move || {
                let f = parse(&chain).unwrap();
                assert!(!matches(&f, &json!({})));
                assert!(matches(&f, &json!({"a": 1})));
                let t = f.to_string();
                assert_eq!(parse(&t).unwrap().to_string(), t);
                assert!(check(&f, &|_| Some(AttrType::String)).is_ok());
                drop(f);
            }
        })
        .unwrap();
    worker.join().unwrap();
}

fn known(p: &AttrPath) -> Option<AttrType> {
    let key = p.sub.as_ref().map_or_else(
        || p.name.to_ascii_lowercase(),
        |sub| {
            format!(
                "{}.{}",
                p.name.to_ascii_lowercase(),
                sub.to_ascii_lowercase()
            )
        },
    );
    let core = p.urn.as_ref().is_none_or(|u| u.eq_ignore_ascii_case(CORE));
    if !core {
        return None;
    }
    Some(match key.as_str() {
        "username" | "title" | "emails.value" | "emails.type" => AttrType::String,
        "id" => AttrType::String,
        "active" | "emails.primary" => AttrType::Boolean,
        "emails" | "name" | "meta" => AttrType::Complex,
        "name.givenname" => AttrType::String,
        "meta.lastmodified" => AttrType::DateTime,
        "x509certificates.value" => AttrType::Binary,
        "x509certificates" => AttrType::Complex,
        "logins" => AttrType::Integer,
        _ => return None,
    })
}

#[test]
fn check_refuses_unknown_attributes_and_misfit_operators() {
    let ok = |t: &str| check(&parse(t).unwrap(), &known);
    for text in [
        "userName eq \"x\" and title pr",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
        "emails co \"example.com\"",
        "emails[type eq \"work\" and primary eq true]",
        "active ne false",
        "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
        "logins ge 3",
        "title eq null",
        "emails pr",
        "x509Certificates.value eq \"TUlJ\"",
        "not (name.givenName co \"B\")",
    ] {
        assert_eq!(ok(text), Ok(()), "{text}");
    }
    for text in [
        "nickName pr",
        "emails.display eq \"x\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName pr",
        "active gt true",
        "active co \"t\"",
        "active eq \"true\"",
        "userName eq 3",
        "logins co 3",
        "logins eq \"3\"",
        "meta.lastModified gt \"yesterday\"",
        "meta.lastModified sw \"2011\"",
        "x509Certificates.value gt \"TUlJ\"",
        "name eq \"x\"",
        "userName[value pr]",
        "emails[display pr]",
        "title gt null",
    ] {
        let err = ok(text).expect_err(text);
        assert_eq!(err.scim_type(), "invalidFilter");
    }
}

#[test]
fn patch_paths() {
    assert_eq!(
        parse_path("title").unwrap(),
        PatchPath::Attr(AttrPath::new("title"))
    );
    assert_eq!(
        parse_path("name.familyName").unwrap(),
        PatchPath::Attr(path("name.familyName"))
    );
    let p = parse_path(&format!("{CORE}:userName")).unwrap();
    assert_eq!(
        p,
        PatchPath::Attr(AttrPath {
            urn: Some(CORE.to_owned()),
            name: "userName".to_owned(),
            sub: None
        })
    );
    let p = parse_path(&format!("{ENTERPRISE}:manager.value")).unwrap();
    assert_eq!(
        p,
        PatchPath::Attr(AttrPath {
            urn: Some(ENTERPRISE.to_owned()),
            name: "manager".to_owned(),
            sub: Some("value".to_owned())
        })
    );
    assert_eq!(
        parse_path("members[value eq \"2819c223\"]").unwrap(),
        PatchPath::Values {
            attr: AttrPath::new("members"),
            filter: cmp("value", CompareOp::Eq, s("2819c223")),
            sub: None
        }
    );
    assert_eq!(
        parse_path("roles[primary eq true].value").unwrap(),
        PatchPath::Values {
            attr: AttrPath::new("roles"),
            filter: cmp("primary", CompareOp::Eq, CompValue::Bool(true)),
            sub: Some("value".to_owned())
        }
    );
    let work = parse_path("emails[type eq \"work\"].value").unwrap();
    assert_eq!(
        work,
        PatchPath::Values {
            attr: AttrPath::new("emails"),
            filter: cmp("type", CompareOp::Eq, s("work")),
            sub: Some("value".to_owned())
        }
    );
    assert_eq!(work.to_string(), "emails[type eq \"work\"].value");
    // A `]` inside the filter's string does not end it.
    assert_eq!(
        parse_path("members[display eq \"a]b\"].display").unwrap(),
        PatchPath::Values {
            attr: AttrPath::new("members"),
            filter: cmp("display", CompareOp::Eq, s("a]b")),
            sub: Some("display".to_owned())
        }
    );
    assert_eq!(
        parse_path(&format!("{CORE}:emails[type eq \"work\"]")).unwrap(),
        PatchPath::Values {
            attr: AttrPath {
                urn: Some(CORE.to_owned()),
                name: "emails".to_owned(),
                sub: None
            },
            filter: cmp("type", CompareOp::Eq, s("work")),
            sub: None
        }
    );
}

#[test]
fn bad_patch_paths_say_which_part_is_wrong() {
    for text in [
        "",
        "1title",
        "name.familyName.x",
        "emails[type eq \"work\"]x",
        "emails[type eq \"work\"].",
        "emails[type eq \"work\"].value.x",
        "name.givenName[value pr]",
        "user name",
        "urn:x",
    ] {
        let err = parse_path(text).expect_err(text);
        assert_eq!(err.scim_type(), "invalidPath", "{text}: {err}");
    }
    for text in [
        "emails[type eq]",
        "emails[type eq \"work\"",
        "emails[]",
        "emails[type eq \"work]",
        "emails[not (type pr]",
        "members[value[x pr]]",
    ] {
        let err = parse_path(text).expect_err(text);
        assert!(matches!(err, PathError::InvalidFilter(_)), "{text}: {err}");
        assert_eq!(err.scim_type(), "invalidFilter");
    }
    let long = "a".repeat(MAX_FILTER_BYTES + 1);
    assert_eq!(parse_path(&long).unwrap_err().scim_type(), "invalidPath");
}

#[test]
fn attribute_lists() {
    assert_eq!(parse_attribute_list("").unwrap(), vec![]);
    assert_eq!(parse_attribute_list("  ").unwrap(), vec![]);
    assert_eq!(
        parse_attribute_list("userName, name.givenName ,emails").unwrap(),
        vec![
            AttrPath::new("userName"),
            path("name.givenName"),
            AttrPath::new("emails")
        ]
    );
    assert_eq!(
        parse_attribute_list(&format!(
            "{ENTERPRISE}:employeeNumber,{CORE}:meta.lastModified"
        ))
        .unwrap(),
        vec![
            AttrPath {
                urn: Some(ENTERPRISE.to_owned()),
                name: "employeeNumber".to_owned(),
                sub: None
            },
            AttrPath {
                urn: Some(CORE.to_owned()),
                name: "meta".to_owned(),
                sub: Some("lastModified".to_owned())
            },
        ]
    );
    for bad in ["a,,b", "a,", "user name", "emails[type eq \"x\"]", "a.b.c"] {
        let err = parse_attribute_list(bad).expect_err(bad);
        assert_eq!(err.scim_type(), "invalidPath", "{bad}");
    }
}

// ---- Property tests ----

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_-]{0,6}",
        // Names that are also keywords: the parser tells them apart by position.
        prop::sample::select(vec!["and", "or", "not", "pr", "eq", "true", "null", "NOT"])
            .prop_map(str::to_owned),
    ]
}

fn arb_urn() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(CORE.to_owned()),
        Just(ENTERPRISE.to_owned()),
        "urn:[a-z]{1,4}(:[a-zA-Z0-9.-]{1,5}){1,3}",
    ]
}

fn arb_top_path() -> impl Strategy<Value = AttrPath> {
    (
        prop::option::of(arb_urn()),
        arb_name(),
        prop::option::of(arb_name()),
    )
        .prop_map(|(urn, name, sub)| AttrPath { urn, name, sub })
}

fn arb_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        any::<String>().prop_map(CompValue::String),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        prop::num::f64::NORMAL
            .prop_union(prop::num::f64::SUBNORMAL)
            .or(prop::num::f64::ZERO)
            .prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
                .map(CompValue::Number)),
        any::<bool>().prop_map(CompValue::Bool),
        Just(CompValue::Null),
    ]
}

fn arb_op() -> impl Strategy<Value = CompareOp> {
    prop::sample::select(CompareOp::ALL.to_vec())
}

fn arb_leaf(paths: BoxedStrategy<AttrPath>) -> impl Strategy<Value = Filter> {
    prop_oneof![
        (paths.clone(), arb_op(), arb_value()).prop_map(|(path, op, value)| Filter::Compare {
            path,
            op,
            value
        }),
        paths.prop_map(|path| Filter::Present { path }),
    ]
}

fn logic(leaf: BoxedStrategy<Filter>, depth: u32) -> BoxedStrategy<Filter> {
    leaf.prop_recursive(depth, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| and(a, b)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| or(a, b)),
            inner.prop_map(not),
        ]
    })
    .boxed()
}

fn arb_filter() -> BoxedStrategy<Filter> {
    let plain = arb_name().prop_map(|n| AttrPath::new(&n)).boxed();
    let inner = logic(arb_leaf(plain).boxed(), 3);
    let attr = (prop::option::of(arb_urn()), arb_name()).prop_map(|(urn, name)| AttrPath {
        urn,
        name,
        sub: None,
    });
    let value_path = (attr, inner).prop_map(|(attr, filter)| Filter::ValuePath {
        attr,
        filter: Box::new(filter),
    });
    let leaf = prop_oneof![3 => arb_leaf(arb_top_path().boxed()), 1 => value_path].boxed();
    logic(leaf, 4)
}

/// Pieces that make filters, valid or not, to throw at the parser.
fn arb_noise() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "(", ")", "[", "]", "not", "and", "or", " ", "\"", "x", "eq", "pr", "gt", "1", "-", "1e5",
        "\\", "urn:a:b:", ".", "emails", "\"s\"", "true", "null", ":", "\u{e9}", "\n",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_filters_parse_back_to_themselves(f in arb_filter()) {
        let text = f.to_string();
        let parsed = parse(&text);
        prop_assert_eq!(parsed.as_ref(), Ok(&f), "{}", text);
    }

    #[test]
    fn any_text_is_parsed_or_refused_without_panic(text in any::<String>()) {
        let _ = parse(&text);
        let _ = parse_path(&text);
        let _ = parse_attribute_list(&text);
    }

    #[test]
    fn filter_like_text_is_parsed_or_refused_and_what_parses_prints_back(text in arb_noise()) {
        if let Ok(f) = parse(&text) {
            prop_assert_eq!(parse(&f.to_string()), Ok(f));
        }
        let _ = parse_path(&text);
        let _ = parse_path(&format!("emails[{text}].value"));
        let _ = parse_attribute_list(&text);
    }

}

proptest! {
    // Cheap cases, and the ones where mistakes hide: many of them.
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn evaluation_agrees_with_the_reference_model(
        (user, f) in (model::arb_user(), model::arb_filter())
    ) {
        let json = user.to_json();
        prop_assert_eq!(matches(&f, &json), model::eval(&user, &f, None), "{} over {}", f, json);
        // Printing and parsing keep the meaning.
        let again = parse(&f.to_string()).unwrap();
        prop_assert_eq!(matches(&again, &json), matches(&f, &json));
    }
}

/// A user as plain data, its JSON, and an evaluator over that data written separately from
/// the one over JSON: values are listed per attribute rather than looked up in JSON.
mod model {
    use std::cmp::Ordering;

    use super::*;

    /// Timestamps and the instants they mean (seconds, milliseconds), so the reference
    /// needs no date parser.
    const TIMES: [(&str, i64); 5] = [
        ("2011-05-13T04:42:34Z", 1_305_261_754_000),
        ("2011-05-13T06:42:34+02:00", 1_305_261_754_000),
        ("2011-05-13T04:42:34.5Z", 1_305_261_754_500),
        ("2012-01-01T00:00:00Z", 1_325_376_000_000),
        ("2010-12-31T23:59:59Z", 1_293_839_999_000),
    ];

    #[derive(Clone, Debug, PartialEq)]
    pub enum Scalar {
        Str(String),
        Num(i64),
        Bool(bool),
        Null,
    }

    #[derive(Clone, Debug)]
    pub struct Email {
        value: Option<Scalar>,
        kind: Option<Scalar>,
        primary: Option<bool>,
    }

    #[derive(Clone, Debug)]
    pub struct User {
        id: String,
        user_name: String,
        title: Option<Scalar>,
        active: Option<bool>,
        logins: Option<i64>,
        emails: Vec<Email>,
        last_modified: Option<String>,
        employee_number: Option<String>,
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[aAb@]{0,2}",
            1 => prop::sample::select(TIMES.iter().map(|t| t.0.to_owned()).collect::<Vec<_>>()),
        ]
    }

    fn scalar_text() -> impl Strategy<Value = Scalar> {
        prop_oneof![4 => text().prop_map(Scalar::Str), 1 => Just(Scalar::Null)]
    }

    pub fn arb_user() -> impl Strategy<Value = User> {
        let email = (
            prop::option::of(scalar_text()),
            prop::option::of(scalar_text()),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(value, kind, primary)| Email {
                value,
                kind,
                primary,
            });
        (
            text(),
            text(),
            prop::option::of(scalar_text()),
            prop::option::of(any::<bool>()),
            prop::option::of(-3i64..3),
            prop::collection::vec(email, 0..3),
            prop::option::of(text()),
            prop::option::of(text()),
        )
            .prop_map(
                |(id, user_name, title, active, logins, emails, last_modified, employee_number)| {
                    User {
                        id,
                        user_name,
                        title,
                        active,
                        logins,
                        emails,
                        last_modified,
                        employee_number,
                    }
                },
            )
    }

    fn scalar_json(s: &Scalar) -> Value {
        match s {
            Scalar::Str(t) => json!(t),
            Scalar::Num(n) => json!(n),
            Scalar::Bool(b) => json!(b),
            Scalar::Null => Value::Null,
        }
    }

    impl User {
        pub fn to_json(&self) -> Value {
            let mut out = json!({"schemas": [CORE], "id": self.id, "userName": self.user_name});
            let o = out.as_object_mut().unwrap();
            if let Some(t) = &self.title {
                o.insert("title".into(), scalar_json(t));
            }
            if let Some(a) = self.active {
                o.insert("active".into(), json!(a));
            }
            if let Some(n) = self.logins {
                o.insert("logins".into(), json!(n));
            }
            if !self.emails.is_empty() {
                let emails: Vec<Value> = self
                    .emails
                    .iter()
                    .map(|e| {
                        let mut m = serde_json::Map::new();
                        if let Some(v) = &e.value {
                            m.insert("value".into(), scalar_json(v));
                        }
                        if let Some(v) = &e.kind {
                            m.insert("type".into(), scalar_json(v));
                        }
                        if let Some(p) = e.primary {
                            m.insert("primary".into(), json!(p));
                        }
                        Value::Object(m)
                    })
                    .collect();
                o.insert("emails".into(), Value::Array(emails));
            }
            if let Some(t) = &self.last_modified {
                o.insert("meta".into(), json!({"lastModified": t}));
            }
            if let Some(n) = &self.employee_number {
                o.insert(ENTERPRISE.into(), json!({"employeeNumber": n}));
            }
            out
        }

        /// The values of an attribute of the user, by lower-case name; `None` for `emails`
        /// as a whole, which the evaluator treats on its own.
        fn values(&self, urn: Option<&str>, key: &str) -> Vec<Scalar> {
            let core = urn.is_none_or(|u| u.eq_ignore_ascii_case(CORE));
            let enterprise = urn.is_some_and(|u| u.eq_ignore_ascii_case(ENTERPRISE));
            let str_ = |s: &String| vec![Scalar::Str(s.clone())];
            if enterprise {
                return match (key, &self.employee_number) {
                    ("employeenumber", Some(n)) => str_(n),
                    _ => vec![],
                };
            }
            if !core {
                return vec![];
            }
            match key {
                "id" => str_(&self.id),
                "username" => str_(&self.user_name),
                "title" => self.title.iter().cloned().collect(),
                "active" => self.active.iter().map(|b| Scalar::Bool(*b)).collect(),
                "logins" => self.logins.iter().map(|n| Scalar::Num(*n)).collect(),
                "meta.lastmodified" => self.last_modified.iter().flat_map(str_).collect(),
                "emails.value" => self.emails.iter().filter_map(|e| e.value.clone()).collect(),
                "emails.type" => self.emails.iter().filter_map(|e| e.kind.clone()).collect(),
                "emails.primary" => self
                    .emails
                    .iter()
                    .filter_map(|e| e.primary.map(Scalar::Bool))
                    .collect(),
                _ => vec![],
            }
        }
    }

    impl Email {
        fn values(&self, key: &str) -> Vec<Scalar> {
            match key {
                "value" => self.value.iter().cloned().collect(),
                "type" => self.kind.iter().cloned().collect(),
                "primary" => self.primary.iter().map(|b| Scalar::Bool(*b)).collect(),
                _ => vec![],
            }
        }

        fn present(&self) -> bool {
            self.values("value").iter().any(present)
                || self.values("type").iter().any(present)
                || self.primary.is_some()
        }
    }

    fn present(s: &Scalar) -> bool {
        match s {
            Scalar::Str(t) => !t.is_empty(),
            Scalar::Null => false,
            Scalar::Num(_) | Scalar::Bool(_) => true,
        }
    }

    fn instant(t: &str) -> Option<i64> {
        TIMES.iter().find(|(text, _)| *text == t).map(|(_, ms)| *ms)
    }

    fn order(op: CompareOp, o: Ordering) -> bool {
        use CompareOp::*;
        match op {
            Eq => o.is_eq(),
            Ne => o.is_ne(),
            Gt => o.is_gt(),
            Ge => o.is_ge(),
            Lt => o.is_lt(),
            Le => o.is_le(),
            Co | Sw | Ew => false,
        }
    }

    fn compare(actual: &Scalar, op: CompareOp, expected: &CompValue, exact: bool) -> bool {
        match (actual, expected) {
            (Scalar::Str(a), CompValue::String(b)) => {
                if let (Some(x), Some(y), false) = (instant(a), instant(b), op.is_substring()) {
                    return order(op, x.cmp(&y));
                }
                let (a, b) = if exact {
                    (a.clone(), b.clone())
                } else {
                    (a.to_lowercase(), b.to_lowercase())
                };
                match op {
                    CompareOp::Co => a.contains(&b),
                    CompareOp::Sw => a.starts_with(&b),
                    CompareOp::Ew => a.ends_with(&b),
                    _ => order(op, a.cmp(&b)),
                }
            }
            (Scalar::Num(a), CompValue::Number(b)) => {
                let b = b.as_i64().unwrap();
                order(op, a.cmp(&b))
            }
            (Scalar::Bool(a), CompValue::Bool(b)) => match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                _ => false,
            },
            _ => false,
        }
    }

    fn key(p: &AttrPath) -> String {
        match &p.sub {
            Some(sub) => format!("{}.{}", p.name, sub).to_lowercase(),
            None => p.name.to_lowercase(),
        }
    }

    /// Whether the path is the core schema's (no URN, or the core URN).
    fn core(p: &AttrPath) -> bool {
        p.urn
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(CORE))
    }

    /// `within`: the e-mail a value filter is trying.
    pub fn eval(user: &User, f: &Filter, within: Option<&Email>) -> bool {
        match f {
            Filter::And(a, b) => eval(user, a, within) && eval(user, b, within),
            Filter::Or(a, b) => eval(user, a, within) || eval(user, b, within),
            Filter::Not(a) => !eval(user, a, within),
            Filter::ValuePath { filter, .. } => {
                user.emails.iter().any(|e| eval(user, filter, Some(e)))
            }
            Filter::Present { path } => {
                let k = key(path);
                match within {
                    Some(e) => e.values(&k).iter().any(present),
                    None if k == "emails" && core(path) => user.emails.iter().any(Email::present),
                    None => user.values(path.urn.as_deref(), &k).iter().any(present),
                }
            }
            Filter::Compare { path, op, value } => {
                let mut k = key(path);
                let whole_emails = within.is_none() && k == "emails" && core(path);
                if *value == CompValue::Null {
                    let any = match within {
                        Some(e) => e.values(&k).iter().any(present),
                        None if whole_emails => user.emails.iter().any(Email::present),
                        None => user.values(path.urn.as_deref(), &k).iter().any(present),
                    };
                    return match op {
                        CompareOp::Eq => !any,
                        CompareOp::Ne => any,
                        _ => false,
                    };
                }
                if whole_emails {
                    k = "emails.value".to_owned();
                }
                let values = match within {
                    Some(e) => e.values(&k),
                    None => user.values(path.urn.as_deref(), &k),
                };
                let exact = within.is_none() && k == "id";
                values.iter().any(|v| compare(v, *op, value, exact))
            }
        }
    }

    /// What kind of value an attribute of the model holds, so that most generated
    /// comparisons are between values of one type (mixed types never match).
    #[derive(Clone, Copy, Debug)]
    enum Kind {
        Text,
        Time,
        Bool,
        Number,
    }

    fn typed(kind: Kind) -> BoxedStrategy<CompValue> {
        match kind {
            Kind::Text => text().prop_map(CompValue::String).boxed(),
            Kind::Time => prop::sample::select(TIMES.iter().map(|t| t.0).collect::<Vec<_>>())
                .prop_map(|t| CompValue::String(t.to_owned()))
                .boxed(),
            Kind::Bool => any::<bool>().prop_map(CompValue::Bool).boxed(),
            Kind::Number => (-3i64..3).prop_map(|n| CompValue::Number(n.into())).boxed(),
        }
    }

    fn value() -> impl Strategy<Value = CompValue> {
        prop_oneof![
            4 => text().prop_map(CompValue::String),
            1 => (-3i64..3).prop_map(|n| CompValue::Number(n.into())),
            1 => any::<bool>().prop_map(CompValue::Bool),
            1 => Just(CompValue::Null),
        ]
    }

    fn case_variant(name: &'static str) -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            name.to_owned(),
            name.to_lowercase(),
            name.to_uppercase(),
        ])
    }

    /// Leaves over `names` (each with its kind); `urn` qualifies some of them.
    fn leaf(
        names: Vec<(&'static str, Kind)>,
        urn: BoxedStrategy<Option<&'static str>>,
    ) -> BoxedStrategy<Filter> {
        let path = (prop::sample::select(names), urn).prop_flat_map(|((name, kind), urn)| {
            case_variant(name).prop_map(move |written| {
                let mut p = AttrPath::parse(&written).unwrap();
                p.urn = urn.map(str::to_owned);
                (p, kind)
            })
        });
        let compare = (path.clone(), arb_op()).prop_flat_map(|((path, kind), op)| {
            prop_oneof![3 => typed(kind), 1 => value()].prop_map(move |value| Filter::Compare {
                path: path.clone(),
                op,
                value,
            })
        });
        prop_oneof![
            3 => compare,
            1 => path.prop_map(|(path, _)| Filter::Present { path }),
        ]
        .boxed()
    }

    pub fn arb_filter() -> BoxedStrategy<Filter> {
        use Kind::*;
        let top = vec![
            ("id", Text),
            ("userName", Text),
            ("title", Text),
            ("active", Bool),
            ("logins", Number),
            ("emails", Text),
            ("emails.value", Text),
            ("emails.type", Text),
            ("emails.primary", Bool),
            ("meta.lastModified", Time),
            ("employeeNumber", Text),
            ("nickName", Text),
        ];
        let urn = prop::option::weighted(
            0.3,
            prop::sample::select(vec![CORE, ENTERPRISE, "urn:example:other:1.0:User"]),
        )
        .boxed();
        let sub = vec![
            ("value", Text),
            ("type", Text),
            ("primary", Bool),
            ("display", Text),
        ];
        let inner = logic(leaf(sub, Just(None).boxed()), 2);
        let emails = inner.prop_map(|f| values("emails", f));
        let top = prop_oneof![4 => leaf(top, urn), 1 => emails].boxed();
        logic(top, 3)
    }
}
