//! Signing, locking and unlocking files on the command line: the key file,
//! the passphrase (from the environment or a prompt), and what the verbs
//! that read and write files share.

use sales_tiers_core::io::lock::{self, Content, Cost};
use sales_tiers_core::io::seal::{self, KeyFile, KeyPair};
use sales_tiers_core::model::Sender;
use sales_tiers_core::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

/// How a written file is protected: `--sign KEYFILE`, `--encrypt`.
#[derive(clap::Args, Clone, Default)]
pub struct Protect {
    /// Sign the file with this key file (from `sales-tiers keygen`, or a
    /// key backup from the app); its passphrase from
    /// SALES_TIERS_KEY_PASSPHRASE or SALES_TIERS_PASSPHRASE, else asked.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// Lock the file with a passphrase (SALES_TIERS_PASSPHRASE, else asked twice).
    #[arg(long)]
    pub encrypt: bool,
}

fn fail(lang: Lang, zh: String, en: String, code: u8) -> ExitCode {
    eprintln!("{}", lang.pick(zh, en));
    ExitCode::from(code)
}

/// A passphrase: the first of `vars` that is set, else asked on the
/// terminal (twice when `confirm`). Without a terminal, a variable must be set.
pub fn passphrase(vars: &[&str], what: &str, confirm: bool, lang: Lang) -> Result<Zeroizing<String>, ExitCode> {
    for v in vars {
        if let Ok(p) = std::env::var(v) {
            return Ok(Zeroizing::new(p));
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail(
            lang,
            format!("需要{what}的口令：请设置环境变量 {}", vars[0]),
            format!("a passphrase is needed for {what}: set {}", vars[0]),
            2,
        ));
    }
    let ask = |prompt: String| rpassword::prompt_password(prompt).map(Zeroizing::new);
    let first = ask(lang.pick(format!("{what}的口令："), format!("Passphrase for {what}: ")))
        .map_err(|e| fail(lang, e.to_string(), e.to_string(), 2))?;
    if confirm {
        let again = ask(lang.pick("再输入一次：".into(), "Again: ".into())).map_err(|e| fail(lang, e.to_string(), e.to_string(), 2))?;
        if *again != *first {
            return Err(fail(lang, "两次输入的口令不一致".into(), "the two passphrases differ".into(), 2));
        }
    }
    Ok(first)
}

/// Random bytes from the operating system.
pub fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system gives random bytes");
    b
}

/// Reads a file as UTF-8 text (exit 2 unreadable, 1 not text).
pub fn read_text(file: &Path, lang: Lang) -> Result<String, ExitCode> {
    let bytes = std::fs::read(file)
        .map_err(|e| fail(lang, format!("{}：无法读取：{e}", file.display()), format!("{}: cannot read: {e}", file.display()), 2))?;
    String::from_utf8(bytes).map_err(|_| {
        fail(lang, format!("{}：不是 UTF-8 文本文件", file.display()), format!("{}: not a UTF-8 text file", file.display()), 1)
    })
}

/// The text of a file, unlocked when it is locked (a workspace file is
/// expected; a key backup is refused).
pub fn unlocked(file: &Path, text: String, want: Content, lang: Lang) -> Result<String, ExitCode> {
    if !lock::is_locked(&text) {
        return Ok(text);
    }
    let shown = file.display().to_string();
    let what = lang.pick(format!("加密文件 {shown}"), format!("the locked file {shown}"));
    let vars: &[&str] =
        if want == Content::Key { &["SALES_TIERS_KEY_PASSPHRASE", "SALES_TIERS_PASSPHRASE"] } else { &["SALES_TIERS_PASSPHRASE"] };
    let pass = passphrase(vars, &what, false, lang)?;
    match lock::unlock(&text, &pass) {
        Ok((content, _)) if content != want => Err(fail(
            lang,
            format!("{shown}：文件内容不是所需的类型（{}）", if want == Content::Key { "签名密钥" } else { "工作区" }),
            format!(
                "{shown}: the file does not hold what is needed here ({})",
                if want == Content::Key { "a signing key" } else { "a workspace" }
            ),
            1,
        )),
        Ok((_, plain)) => String::from_utf8(plain.to_vec())
            .map_err(|_| fail(lang, format!("{shown}：内容不是文本"), format!("{shown}: the content is not text"), 1)),
        Err(e) => Err(fail(lang, format!("{shown}：{}", e.message(lang)), format!("{shown}: {}", e.message(lang)), 1)),
    }
}

/// Loads a signing key file (unlocking it when it is locked).
pub fn load_key(file: &Path, lang: Lang) -> Result<(KeyPair, Sender), ExitCode> {
    let text = unlocked(file, read_text(file, lang)?, Content::Key, lang)?;
    let kf = KeyFile::parse(&text).map_err(|e| {
        fail(lang, format!("{}：{}", file.display(), e.message(lang)), format!("{}: {}", file.display(), e.message(lang)), 1)
    })?;
    let pair = kf.pair().map_err(|e| fail(lang, e.message(lang), e.message(lang), 1))?;
    Ok((pair, kf.person))
}

/// Signs and/or locks a file's text as `protect` says.
pub fn protect(text: String, protect: &Protect, now: chrono::DateTime<chrono::Utc>, lang: Lang) -> Result<String, ExitCode> {
    let mut text = text;
    if let Some(keyfile) = &protect.sign {
        let (pair, who) = load_key(keyfile, lang)?;
        text = seal::sign(&text, &pair, Some(who), now).map_err(|e| fail(lang, e.message(lang), e.message(lang), 1))?;
    }
    if protect.encrypt {
        let pass = passphrase(&["SALES_TIERS_PASSPHRASE"], &lang.pick("新文件".to_string(), "the new file".to_string()), true, lang)?;
        text = lock::lock(text.as_bytes(), Content::Workspace, &pass, Cost::DEFAULT, random(), random())
            .map_err(|e| fail(lang, e.message(lang), e.message(lang), 2))?;
    }
    Ok(text)
}
