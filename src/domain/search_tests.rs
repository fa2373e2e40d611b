use super::*;

fn parse(q: &str) -> Vec<Term> {
    SearchQuery::parse(q).unwrap().terms
}

#[test]
fn the_language_is_words_phrases_exclusions_and_prefixes_and_nothing_else() {
    use Term::*;
    assert_eq!(
        parse(r#"Zürich "Deploy FAILED" -staging climb*"#),
        vec![
            Word("zurich".into()),
            Phrase(vec!["deploy".into(), "failed".into()]),
            Excluded("staging".into()),
            Prefix("climb".into()),
        ]
    );
    // Lucene's syntax is text (`body:x` is one word, as in a body).
    assert_eq!(
        parse(r"body:x OR * ~2 ^3 \\ (a)"),
        vec![
            Word("body:x".into()),
            Word("or".into()),
            Word("2".into()),
            Word("3".into()),
            Word("a".into()),
        ]
    );
    assert_eq!(
        parse(r#""unbalanced quote"#),
        vec![Phrase(vec!["unbalanced".into(), "quote".into()])]
    );
    for bad in [
        "",
        "   ",
        "!!! ???",
        "-only",
        "ab*",
        &"a ".repeat(11),
        &"x".repeat(201),
    ] {
        let err = SearchQuery::parse(bad).unwrap_err();
        assert_eq!(err.code(), "BAD_USER_INPUT", "{bad:?}");
    }
}

#[test]
fn matching_folds_case_and_accents_and_honours_every_term() {
    let q = SearchQuery::parse(r#"zurich "deploy failed" -staging climb*"#).unwrap();
    assert!(q.score("ZÜRICH: Deploy failed while climbing").is_some());
    assert!(q.score("Zurich deploy failed, climbs on staging").is_none());
    assert!(
        q.score("Zurich failed deploy climbing").is_none(),
        "a phrase in order"
    );
    assert!(q.score("Zurich deploy failed").is_none(), "the prefix");
    let one = SearchQuery::parse("cat").unwrap();
    let short = one.score("cat cat").unwrap();
    let long = one.score("a cat among many many other words here").unwrap();
    assert!(short > long, "more of the query in fewer words");
}

#[test]
fn the_index_holds_words_and_prefixes_that_engines_keep_whole() {
    assert_eq!(
        index_text("Climb ZÜRICH"),
        "climb xpcli xpclim xpclimb xpzur xpzuri xpzuric xpzurich zurich"
    );
    let encoded = index_text("東京");
    assert!(
        encoded
            .split(' ')
            .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric())),
        "{encoded}"
    );
    let q = SearchQuery::parse("clim*").unwrap();
    assert_eq!(q.engine_words(), vec!["xpclim".to_owned()]);
    // A long word costs at most 14 prefixes; a long prefix is looked up
    // by its first 16 characters and checked whole.
    let long = "y".repeat(10_000);
    assert_eq!(index_text(&long).split(' ').count(), 1 + 14);
    let stem = "abcdefghijklmnopqrst";
    let q = SearchQuery::parse(&format!("{stem}*")).unwrap();
    assert_eq!(q.engine_words(), vec!["xpabcdefghijklmnop".to_owned()]);
    assert!(q.score(&format!("{stem}uvw")).is_some());
    assert!(q.score("abcdefghijklmnopzzzz").is_none());
    assert!(SearchQuery::parse("climb*")
        .unwrap()
        .score("Climb!")
        .is_some());
}

#[test]
fn a_snippet_fits_240_characters_and_highlights_in_utf16() {
    let q = SearchQuery::parse("needle").unwrap();
    let text = format!("{} 😀 Needle {}", "hay ".repeat(100), "straw ".repeat(100));
    let snippet = q.snippet(&text);
    assert!(snippet.text.chars().count() <= SNIPPET_CHARS);
    assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
    let units: Vec<u16> = snippet.text.encode_utf16().collect();
    let range = snippet.highlights[0];
    let marked = String::from_utf16(&units[range.start..range.start + range.length]).unwrap();
    assert_eq!(marked, "Needle");
    let short = q.snippet("a needle, another NEEDLE");
    assert_eq!(short.text, "a needle, another NEEDLE");
    assert_eq!(short.highlights.len(), 2);
}
