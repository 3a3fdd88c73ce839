//! The two product languages. Messages produced by core (validation, edit
//! and import errors) are rendered in either with `message(lang)` methods,
//! so the app and the CLI show the same words.

use serde::{Deserialize, Serialize};

/// A product language: "zh-CN" (简体中文) or "en".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// BCP 47 tag, as used in `<html lang>` and in files.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks a language from a browser tag ("zh", "zh-TW", "en-GB", ...).
    /// Any Chinese variant gives zh-CN; everything else English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks between two renderings of one message.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The two languages' versions of one thing (a name's two fields), the
    /// reader's first.
    pub fn reader_first<T>(self, zh: T, en: T) -> [T; 2] {
        match self {
            Lang::Zh => [zh, en],
            Lang::En => [en, zh],
        }
    }

    /// Between a label and its value: "：" in Chinese, ": " in English.
    pub fn colon(self) -> &'static str {
        self.pick("：", ": ")
    }
}

/// A size in bytes as people read it: "1.2 MB", "340 KB", "12 B".
pub fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / 1_048_576.0)
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags() {
        assert_eq!(Lang::from_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_tag("ZH"), Lang::Zh);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn serde_uses_tags() {
        assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh-CN\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), Lang::En);
    }
}
