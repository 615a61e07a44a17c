//! Text analysis shared by indexing and querying: words of letters and digits, with
//! runs of CJK characters (Chinese, Japanese, Korean) cut into overlapping bigrams, since
//! those scripts put no spaces between words. A two-character Chinese word is then one
//! indexed term, and a longer one a phrase of consecutive bigrams.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// The analyzer name registered for free text (title, body, comments).
pub const TEXT: &str = "docket_text";
/// The analyzer name for keyword fields (status, labels, customer): whole value, lower case.
pub const KEYWORD: &str = "docket_keyword";

/// Whether a character belongs to a script written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FFFF) // extensions B-F
}

/// Splits text into word tokens and CJK bigrams, with byte offsets for snippets.
#[derive(Clone, Default)]
pub struct CjkAwareTokenizer;

/// The tokens of one text, computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

impl Tokenizer for CjkAwareTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: split(text),
            next: 0,
        }
    }
}

/// The raw tokens of a text (before lower-casing, stop words and stemming).
pub fn split(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_cjk(c) {
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            if j - i == 1 {
                push(&mut out, text, start, end_of(i + 1));
            } else {
                for (k, (from, _)) in chars.iter().enumerate().take(j - 1).skip(i) {
                    push(&mut out, text, *from, end_of(k + 2));
                }
            }
            i = j;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_alphanumeric() && !is_cjk(chars[j].1) {
                j += 1;
            }
            push(&mut out, text, start, end_of(j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn push(out: &mut Vec<Token>, text: &str, from: usize, to: usize) {
    out.push(Token {
        offset_from: from,
        offset_to: to,
        position: out.len(),
        text: text[from..to].to_string(),
        position_length: 1,
    });
}

/// The analyzer for free text: split, drop huge tokens, lower-case, drop English stop
/// words, stem English words.
pub fn text_analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(CjkAwareTokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder
            .filter(stop)
            .filter(Stemmer::new(Language::English))
            .build(),
        None => builder.filter(Stemmer::new(Language::English)).build(),
    }
}

/// The analyzer for keyword fields: the whole value as one lower-case term.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// The analyzed terms of a text, in order (what the index stores for it).
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_stemmed() {
        assert_eq!(
            terms("The Crashes, while STARTING!"),
            vec!["crash", "while", "start"]
        );
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        let t: Vec<String> = split("数据库连接失败 in v2")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            vec!["数据", "据库", "库连", "连接", "接失", "失败", "in", "v2"]
        );
        assert_eq!(terms("连接"), vec!["连接"]);
        assert_eq!(terms("ログイン"), vec!["ログ", "グイ", "イン"]);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "é数据 ok";
        for t in split(text) {
            assert_eq!(&text[t.offset_from..t.offset_to], t.text);
        }
    }

    #[test]
    fn lone_cjk_character_is_a_unigram() {
        assert_eq!(terms("a 猫 b"), vec!["猫", "b"]);
    }
}
