//! Message and group search: the query language, parsed once into a typed query;
//! the words of a text as both stores index them (case- and
//! accent-folded, `unicode-segmentation` word boundaries and
//! `unicode-normalization` decomposition); whether a message matches; its
//! relevance; and the snippet with its highlights. The engines only find
//! candidates: every rule of the language is decided here, so both stores
//! (and any Neo4j) return the same hits in the same order.

use super::{DomainError, DomainResult};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms a query holds.
pub const MAX_TERMS: usize = 10;
/// Characters a prefix holds before its `*`, at least.
pub const MIN_PREFIX: usize = 3;
/// The longest prefix indexed: a longer `prefix*` is looked up by its
/// first 16 characters and checked whole on the candidates (so a long word
/// costs at most 14 prefixes, not one per character).
pub const MAX_PREFIX: usize = 16;
/// Hits reachable by paging, at most.
pub const MAX_HITS: usize = 500;
/// Candidates an engine hands over per search, at most.
pub const MAX_CANDIDATES: usize = 2_000;
/// A snippet's most characters (an ellipsis included).
pub const SNIPPET_CHARS: usize = 240;
/// Most and default hits per page.
pub const MAX_PAGE: usize = 50;
pub const DEFAULT_PAGE: usize = 20;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word the message must hold.
    Word(String),
    /// Words the message must hold one after another.
    Phrase(Vec<String>),
    /// A word the message must not hold.
    Excluded(String),
    /// A word starting so (folded).
    Prefix(String),
}

/// A parsed query: at least one term a message must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<Term>,
}

/// One word of a text: its folded form and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
}

/// Lower-cases and strips accents: `Zürich` and `ZURICH` are `zurich`.
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .nfc()
        .collect()
}

/// The words of a text, folded, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    text.unicode_word_indices()
        .map(|(start, word)| Token {
            word: fold(word),
            start,
            end: start + word.len(),
        })
        .filter(|t| !t.word.is_empty())
        .collect()
}

/// A folded word as the engines index it: ASCII letters and digits only,
/// so every engine's tokenizer keeps it whole (a word with anything else
/// is written `u` and its UTF-8 in hex).
pub fn index_word(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        word.to_owned()
    } else {
        let hex: String = word.bytes().map(|b| format!("{b:02x}")).collect();
        format!("u{hex}")
    }
}

/// The prefix of an indexed word, as indexed for `prefix*` (at most
/// [`MAX_PREFIX`] characters of it).
fn index_prefix(stem: &str) -> String {
    let capped: String = stem.chars().take(MAX_PREFIX).collect();
    format!("xp{}", index_word(&capped))
}

/// What a store indexes for a text: each word, and each word's prefixes
/// of [`MIN_PREFIX`] to [`MAX_PREFIX`] characters, the word itself included
/// (for `prefix*`), space-separated.
pub fn index_text(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for token in tokens(text) {
        out.push(index_word(&token.word));
        let chars: Vec<char> = token.word.chars().collect();
        for len in MIN_PREFIX..=chars.len().min(MAX_PREFIX) {
            let stem: String = chars[..len].iter().collect();
            out.push(index_prefix(&stem));
        }
    }
    out.sort();
    out.dedup();
    out.join(" ")
}

/// What a store indexes for a message: its words and prefixes; nothing
/// once deleted (`body` `None`).
pub fn message_index(body: Option<&str>) -> String {
    body.map(index_text).unwrap_or_default()
}

/// The text a group is searched by: its name and its description.
pub fn group_text(name: &str, description: Option<&str>) -> String {
    match description {
        Some(description) => format!("{name}\n{description}"),
        None => name.to_owned(),
    }
}

/// What a store indexes for a group: the words and prefixes of its name
/// and description.
pub fn group_index(name: &str, description: Option<&str>) -> String {
    index_text(&group_text(name, description))
}

impl SearchQuery {
    /// Parses the language: words, `"exact phrases"`, `-excluded` words,
    /// `prefix*` (3 characters or more). Any other character is text.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DomainError::invalid("the search query is empty"));
        }
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(DomainError::invalid(format!(
                "the search query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        let mut terms = Vec::new();
        let mut rest = raw;
        while !rest.is_empty() {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('"') {
                // A phrase runs to the next quote (or the end).
                let (inside, next) = after.split_once('"').unwrap_or((after, ""));
                let words: Vec<String> = tokens(inside).into_iter().map(|t| t.word).collect();
                match words.len() {
                    0 => {}
                    1 => terms.push(Term::Word(words[0].clone())),
                    _ => terms.push(Term::Phrase(words)),
                }
                rest = next;
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (chunk, next) = rest.split_at(end);
            rest = next;
            if chunk.is_empty() {
                continue;
            }
            let excluded = chunk.len() > 1 && chunk.starts_with('-');
            let body = if excluded { &chunk[1..] } else { chunk };
            let prefix = !excluded && body.ends_with('*');
            let words: Vec<String> = tokens(body).into_iter().map(|t| t.word).collect();
            match (excluded, prefix, words.as_slice()) {
                (_, _, []) => {}
                (true, _, [word]) => terms.push(Term::Excluded(word.clone())),
                (false, true, [stem]) if stem.chars().count() >= MIN_PREFIX => {
                    terms.push(Term::Prefix(stem.clone()))
                }
                (false, true, [_]) => {
                    return Err(DomainError::invalid(format!(
                        "a prefix needs at least {MIN_PREFIX} characters before *"
                    )))
                }
                // `e-mail`, `-foo-bar`: words joined by punctuation are a phrase.
                (true, _, words) => {
                    terms.extend(words.iter().cloned().map(Term::Excluded));
                }
                (false, _, [word]) => terms.push(Term::Word(word.clone())),
                (false, _, words) => terms.push(Term::Phrase(words.to_vec())),
            }
        }
        if terms.len() > MAX_TERMS {
            return Err(DomainError::invalid(format!(
                "the search query has more than {MAX_TERMS} terms"
            )));
        }
        if !terms.iter().any(|t| !matches!(t, Term::Excluded(_))) {
            return Err(DomainError::invalid(
                "the search query has no word to search for",
            ));
        }
        Ok(Self { terms })
    }

    /// What an engine looks up: the indexed form of every word, phrase
    /// word and prefix the message must hold. A candidate holds at least
    /// one; [`Self::matches`] decides.
    pub fn engine_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        for term in &self.terms {
            match term {
                Term::Word(w) => words.push(index_word(w)),
                Term::Phrase(ws) => words.extend(ws.iter().map(|w| index_word(w))),
                Term::Prefix(stem) => words.push(index_prefix(stem)),
                Term::Excluded(_) => {}
            }
        }
        words.sort();
        words.dedup();
        words
    }

    /// The relevance of `text` to the query, or `None` when it does not
    /// match: every word, phrase and prefix held, no excluded word.
    pub fn score(&self, text: &str) -> Option<Relevance> {
        let tokens = tokens(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.word.as_str()).collect();
        let mut hits = 0usize;
        for term in &self.terms {
            let found = match term {
                Term::Word(w) => words.iter().filter(|x| *x == w).count(),
                Term::Prefix(stem) => words
                    .iter()
                    .filter(|x| x.starts_with(stem.as_str()))
                    .count(),
                Term::Phrase(ws) => words
                    .windows(ws.len())
                    .filter(|window| window.iter().zip(ws).all(|(a, b)| a == b))
                    .count(),
                Term::Excluded(w) => {
                    if words.iter().any(|x| x == w) {
                        return None;
                    }
                    continue;
                }
            };
            if found == 0 {
                return None;
            }
            hits += found;
        }
        // More of the query in fewer words ranks higher; integers, so both
        // stores order the same.
        let per_mille = hits * 1_000_000 / (words.len().max(1) + 8);
        Some(Relevance(per_mille as u64))
    }

    /// Whether a folded word is one the query looks for (highlights).
    fn wants(&self, word: &str) -> bool {
        self.terms.iter().any(|term| match term {
            Term::Word(w) => w == word,
            Term::Phrase(ws) => ws.iter().any(|w| w == word),
            Term::Prefix(stem) => word.starts_with(stem.as_str()),
            Term::Excluded(_) => false,
        })
    }

    /// At most [`SNIPPET_CHARS`] characters of `text` around its first
    /// matched word, with each matched word's place in UTF-16 code units.
    pub fn snippet(&self, text: &str) -> Snippet {
        let tokens = tokens(text);
        let first = tokens.iter().find(|t| self.wants(&t.word));
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let total = chars.len();
        let (mut from, mut to) = (0, total);
        if total > SNIPPET_CHARS {
            let at = first.map_or(0, |t| chars.partition_point(|(i, _)| *i < t.start));
            // About a third of the room before the match.
            from = at.saturating_sub(SNIPPET_CHARS / 3);
            to = (from + SNIPPET_CHARS).min(total);
            from = to.saturating_sub(SNIPPET_CHARS);
        }
        let lead = from > 0;
        let tail = to < total;
        // Ellipses count towards the limit.
        let from = if lead { from + 1 } else { from };
        let to = if tail { to - 1 } else { to };
        let byte_from = chars.get(from).map_or(text.len(), |(i, _)| *i);
        let byte_to = chars.get(to).map_or(text.len(), |(i, _)| *i);
        let mut snippet = String::new();
        if lead {
            snippet.push('…');
        }
        let base = snippet.len();
        snippet.push_str(&text[byte_from..byte_to]);
        if tail {
            snippet.push('…');
        }
        let utf16 = |s: &str| s.encode_utf16().count();
        let highlights = tokens
            .iter()
            .filter(|t| t.start >= byte_from && t.end <= byte_to && self.wants(&t.word))
            .map(|t| {
                let at = base + (t.start - byte_from);
                let end = base + (t.end - byte_from);
                TextRange {
                    start: utf16(&snippet[..at]),
                    length: utf16(&snippet[at..end]),
                }
            })
            .collect();
        Snippet {
            text: snippet,
            highlights,
        }
    }
}

/// How well a message matches (higher first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relevance(pub u64);

/// A range of a snippet, in UTF-16 code units (as JavaScript counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRange {
    pub start: usize,
    pub length: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<TextRange>,
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
