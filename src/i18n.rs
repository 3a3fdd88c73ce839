//! Every user-visible string of the web app, in zh-CN and English.
//!
//! Each entry must give both languages: the macro does not accept an entry
//! with one, so a missing translation fails the build. A text may take
//! arguments, written `{0}`, `{1}`, … and filled by [`T::fill`]; a browser
//! test checks that no text is empty and that both languages use the same
//! placeholders. Messages made by core (validation, import, edit errors)
//! come from core in both languages and stay there.

use sales_tiers_core::model::Text;
use sales_tiers_core::Lang;
use std::collections::BTreeSet;
use std::fmt::{Display, Write};

macro_rules! texts {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A translatable text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];

            /// The text as written in the catalogue (placeholders unfilled).
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Zh) => $zh, (T::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

impl T {
    /// The text with `{0}`, `{1}`, … replaced by `args` in order.
    pub fn fill(self, lang: Lang, args: &[&dyn Display]) -> String {
        fill(self.get(lang), args, lang == Lang::Zh)
    }

    /// The placeholders the text uses in `lang`: {0, 1} for "{1} of {0}".
    pub fn placeholders(self, lang: Lang) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let mut rest = self.get(lang);
        while let Some(i) = rest.find('{') {
            rest = &rest[i + 1..];
            if let Some((n, after)) = placeholder(rest) {
                out.insert(n);
                rest = after;
            }
        }
        out
    }

    /// A record name in both languages, for things the app creates with a
    /// default name (a new tier, a new grade).
    pub fn text(self) -> Text {
        Text::new(self.get(Lang::Zh), self.get(Lang::En))
    }
}

/// "12}rest" → (12, "rest"); None unless digits and a closing brace lead.
fn placeholder(s: &str) -> Option<(usize, &str)> {
    let end = s.find('}')?;
    let n = s[..end].parse().ok().filter(|_| s[..end].bytes().all(|b| b.is_ascii_digit()))?;
    Some((n, &s[end + 1..]))
}

/// The template with its placeholders replaced. In Chinese, a value that
/// starts or ends with a Latin letter, a digit or a sign of a figure or
/// path ([`set_off`]) is set off from the Han character beside it by a
/// space ("在{1}之外" with "2026 财年 Q4" reads
/// "在 2026 财年 Q4 之外"; with "2026 财年", "在 2026 财年之外"), so the
/// templates need no guess at what their values begin or end with.
fn fill(template: &str, args: &[&dyn Display], cjk_spacing: bool) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut value = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        match placeholder(&rest[i + 1..]).and_then(|(n, after)| args.get(n).map(|a| (a, after))) {
            Some((arg, after)) => {
                value.clear();
                let _ = write!(value, "{arg}");
                let meets = |han: Option<char>, other: Option<char>| cjk_spacing && han.is_some_and(is_han) && other.is_some_and(set_off);
                if meets(out.chars().next_back(), value.chars().next()) {
                    out.push(' ');
                }
                out.push_str(&value);
                if meets(after.chars().next(), value.chars().next_back()) {
                    out.push(' ');
                }
                rest = after;
            }
            None => {
                out.push('{');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a Chinese text sets off from a Han character by a space: Latin
/// letters, digits, and the signs that lead or end a figure or a path.
fn set_off(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '−' | '+' | '%' | '$' | '¥' | '€' | '#' | '@')
}

/// A Han character (the CJK unified ideographs and their first extension).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// "label：value" in Chinese, "label: value" in English (`Lang::colon`).
pub fn labelled(lang: Lang, label: impl Display, value: impl Display) -> String {
    format!("{label}{}{value}", lang.colon())
}

/// `text` in brackets after what precedes it: "（按季）" in Chinese,
/// " (quarterly)" in English.
pub fn bracketed(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

/// One of the two renderings core gives for its own labels (stage
/// outcomes, categories, segments) and messages.
pub fn either<'a>(lang: Lang, (zh, en): (&'a str, &'a str)) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A language's name in itself, for the language switch and settings.
pub fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "简体中文",
        Lang::En => "English",
    }
}

/// The language switch's short label, in the language itself.
pub fn lang_short(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "中文",
        Lang::En => "EN",
    }
}

texts! {
    AppName => "销售分级管理", "Sales Tiers";
    AppTagline => "分级销售管理 · 离线 · 精确", "Tiered sales management · offline · exact";
    NavOverview => "组织概览", "Organisation";
    NavData => "数据与设置", "Data & settings";
    Undo => "撤销", "Undo";
    Redo => "重做", "Redo";
    UndoHint => "撤销（Ctrl+Z）", "Undo (Ctrl+Z)";
    RedoHint => "重做（Ctrl+Shift+Z）", "Redo (Ctrl+Shift+Z)";
    Language => "语言", "Language";
    // Accessibility: names for screen readers and the keyboard
    SkipToContent => "跳到主要内容", "Skip to main content";
    StartsOn => "{0}入职", "Starts {0}";
    LengthLimit => "已达上限：最多{0}个字符", "That is the limit: at most {0} characters";
    Notifications => "通知", "Notifications";
    UpdateReady => "销售分级管理有新版本。重新加载即可使用，数据保持不变。", "A new version of Sales Tiers is ready. Reload to use it; your data stays as it is.";
    UpdateReload => "重新加载", "Reload";
    FieldOf => "{1}的{0}", "{0} of {1}";
    ChartShowAs => "显示方式", "Show as";
    ChartView => "图", "Chart";
    ChartBox => "{0}，负责人：{1}，{2}", "{0}, manager: {1}, {2}";
    ReportsTo => "上级单元", "Reports to";
    FunnelReached => "经过", "Reached";
    FunnelNow => "当前", "Now";
    FunnelConversion => "转化到下一步", "Convert to next";
    TargetType => "目标类型", "Target type";
    LockPeriod => "锁定{0}", "Lock {0}";
    DemoBadge => "演示数据", "Demo data";
    DemoExplain => "这是一个演示工作区，数据为虚构。可以随意修改，或从空白开始。", "This is a demo workspace with made-up data. Change anything, or start empty.";
    StartEmpty => "从空白开始", "Start empty";
    ReloadDemo => "重新载入演示", "Reload demo";
    ConfirmReplace => "当前工作区将被替换（会先自动备份，可在“数据与设置”中恢复）。继续吗？", "The current workspace will be replaced (it is backed up first and can be restored under Data & settings). Continue?";
    ConfirmReplaceOverBackup => "当前工作区将被替换（会先自动备份，可在“数据与设置”中恢复）。只保留一个备份：现有的备份（{0}，{1}人，最后修改于{2}）将被新的备份取代。继续吗？", "The current workspace will be replaced (it is backed up first and can be restored under Data & settings). Only one backup is kept, so the one there now ({0}, {1} people, last changed {2}) will be replaced by the new one. Continue?";
    Saved => "已保存", "Saved";
    NotSaving => "未保存（存储无法打开）", "Not saving (storage did not open)";
    NotSaved => "未保存", "Not saved";
    Dismiss => "关闭", "Dismiss";
    ExportNow => "立即导出", "Export now";
    QuarantineTitle => "有数据无法打开，已隔离保存", "Some stored data could not be opened and was set aside";
    QuarantineBody => "已打开最近一份完好的副本。无法打开的原始数据没有删除：", "The last good copy was opened. The raw data that failed was not deleted:";
    QuarantineKept => "无法打开的原始数据没有删除：", "The raw data that could not be opened was not deleted:";
    DownloadRaw => "下载原始数据", "Download raw data";
    IdenticalCopies => "，{0}份相同的副本", ", {0} identical copies";
    NotCopied => "（存储已满，未能另存，请立即下载）", "(storage is full, it could not be set aside: download it now)";
    SyncedFromOtherTab => "已同步另一个标签页中的修改", "Changes from another tab were loaded";
    ReplacedInOtherTab => "另一个标签页替换了工作区（导入、从空白开始或恢复备份）：这里现在显示“{0}”，撤销记录已清空。", "Another tab replaced the workspace (an import, Start empty or a restore): this tab now shows “{0}”, and its undo history was cleared.";
    BlockedNoEdits => "本页不保存任何内容，因此不接受修改（重新加载后会丢失）：请先在“数据与设置”中下载或处理无法打开的数据，然后选择“从空白开始”或导入文件。", "This page saves nothing, so it takes no edits (they would be lost on reload): first, on Data & settings, deal with the data that could not be opened, then choose Start empty or import a file.";
    BlockedNoExport => "浏览器中存储的数据无法打开，本页显示的只是空白占位，没有可导出的内容：请在“数据与设置”中下载隔离的数据。", "The data stored in this browser could not be opened, and this page shows only an empty placeholder: there is nothing to export. Download the quarantined data on Data & settings instead.";
    ConfirmReplaceBlocked => "将用新的工作区替换。无法打开的存储数据不会删除，会保留在“数据与设置”的隔离区中供下载。继续吗？", "A new workspace will take the place of the one that could not be opened. The stored data is not deleted: it is kept in quarantine on Data & settings, to download. Continue?";
    StoreWrittenBack => "浏览器中存储的部分数据在别处被删除或损坏（例如另一个标签页将其隔离）：已用本页的副本重新写入工作区的数据。", "Part of the data stored in this browser was removed or damaged elsewhere (for example, another tab set it aside): this tab wrote it again from its own copy of the workspace.";
    StoreOpensAgain => "另一个标签页写入了浏览器中存储的数据，现在可以打开：本页已重新打开它，可以继续保存。", "Another tab wrote the data stored in this browser, and it opens now: this page opened it and saves again.";
    UndoClearedBySync => "没有可撤销的操作：载入另一个标签页的修改时，撤销记录已清空", "Nothing to undo: the undo history was cleared when changes from another tab were loaded";
    ConfirmFreeSpace => "删除“上一个工作区”备份和隔离的数据副本以释放空间？请先下载需要保留的隔离数据。", "Delete the previous-workspace backup and the quarantined copies to free space? Download any quarantined data you want to keep first.";
    SpaceFreed => "已释放{0}", "{0} freed";
    FreeSpace => "释放{0}（备份与隔离副本）", "Free {0} (backup and quarantined copies)";
    StorageDocument => "工作区", "Workspace";
    StorageBackups => "备份与隔离", "Backup and quarantine";
    StorageOthers => "本网站的其他数据", "Other data of this site";
    RetrySave => "重新保存", "Save again";
    StorageBlockedMissing => "浏览器中已存储的数据无法打开：其中一部分已缺失。为避免覆盖，本页不会写入任何内容：请在“数据与设置”中选择“从空白开始”或导入文件。", "The data stored in this browser could not be opened: part of it is missing. So that nothing is overwritten, this page writes nothing: on Data & settings, choose Start empty or import a file.";
    StorageBlocked => "浏览器中已存储的数据无法打开。为避免覆盖，本页不会写入任何内容：请在“数据与设置”中下载隔离的数据，然后选择“从空白开始”或导入文件。", "The data stored in this browser could not be opened. So that nothing is overwritten, this page writes nothing: download the quarantined data on Data & settings, then choose Start empty or import a file.";
    ConflictFromOtherTab => "另一个标签页同时修改了{0}：已采用较新的修改，本页的改动被替换。", "Another tab changed {0} at the same time: the later change was kept and this tab's was replaced.";
    // Overview
    OverviewTitle => "组织概览", "Organisation overview";
    People => "人员", "People";
    Units => "组织单元", "Units";
    Tiers => "层级", "Tiers";
    Vacancies => "空缺岗位", "Vacancies";
    Vacant => "空缺", "Vacant";
    Headcount => "总人数", "Headcount";
    Direct => "直属", "Direct";
    Manager => "负责人", "Manager";
    Duties => "职责", "Duties";
    ExpandAll => "全部展开", "Expand all";
    CollapseAll => "全部收起", "Collapse all";
    ExpandUnit => "展开{0}", "Expand {0}";
    CollapseUnit => "收起{0}", "Collapse {0}";
    NoOrgYet => "还没有组织架构。先添加公司（顶层单位），或导入文件、载入演示数据看看效果。", "No organisation yet. Add the company (the top unit), or import a file or load the demo to look around.";
    OnLeave => "休假", "On leave";
    Left => "已离职", "Left";
    Unit => "单元", "Unit";
    TierCol => "层级", "Tier";
    Members => "成员", "Members";
    // Data page
    DataTitle => "数据与设置", "Data & settings";
    ExportTitle => "导出", "Export";
    ExportBody => "把整个工作区下载为 JSON 文件，可发给其他经理或作为备份。", "Download the whole workspace as a JSON file to send to another manager or keep as a backup.";
    ExportButton => "导出 JSON 文件", "Export JSON file";
    ExchangeTitle => "与上下级交换文件", "Exchange with other managers";
    ExchangeBody => "每位经理在自己的浏览器中处理自己的分支：下发分支文件，对方修改后回传，合并前先审阅。", "Each manager works on their own branch in their own browser: send a branch file down, get it back with their work, review before merging.";
    WhoAmI => "我是", "I am";
    WhoAmINone => "（未选择）", "(not chosen)";
    WhoAmIHelp => "每个浏览器选一次，只保存在本浏览器；修改、阶段变更、手工指标、预测判断和文件往来都记在此人名下。", "Chosen once per browser and kept only here: edits, stage changes, manual KPIs, forecast calls and exchanged files are recorded under this person.";
    SendBranchTitle => "下发分支", "Send a branch";
    SendBranchBody => "把一个单元的分支（下属单元、人员、计划、客户和商机，以及共享定义）写成文件交给其负责人；其他分支的数据不会写入。", "Write one unit's branch (its units, people, plan, customers and deals, with the shared definitions) to a file for its manager. Nothing of any other branch goes in.";
    SendBranchButton => "写出分支文件", "Write branch file";
    SendBranchMenu => "下发此分支…", "Send this branch…";
    SentBranch => "已写出分支文件{0}", "Branch file {0} written";
    MergeTitle => "合并文件", "Merge a file";
    MergeBody => "读入下级回传的分支文件（或同一工作区的完整文件），先显示审阅：新增、修改、删除、冲突和被拒绝的修改；确认后才会改动，并可一步撤销。", "Read a branch file sent back (or a whole file of this workspace). A review comes first: added, changed, deleted, conflicts and refused changes. Nothing changes until you apply, and one undo takes it back.";
    MergeButton => "合并文件…", "Merge a file…";
    ReviewTitle => "合并前审阅", "Review before merging";
    ReviewBranch => "分支“{0}”", "Branch “{0}”";
    ReviewWhole => "完整工作区", "Whole workspace";
    ReviewFrom => "{0}，发送人：{1}，写于{2}", "{0}, from {1}, written {2}";
    NotSaid => "未署名", "not said";
    ReviewNothingNew => "没有新内容：文件中的修改这里都已有了。", "Nothing new: every change in this file is already here.";
    ReviewNothingNewSuspect => "按修订号看没有新内容；但此文件未按其发送人的惯例签名，内容可能已被改动，因此不会采用其中任何内容。", "Nothing new by its revisions; but this file is not signed as its sender's files are, so what it holds may have been changed: nothing of it is taken.";
    ReviewMergedBefore => "此文件已于{0}合并过。", "This file was already merged on {0}.";
    ReviewChanges => "修改（按单元）", "Changes, by unit";
    ReviewConflicts => "冲突：双方都改过（默认采用较新的一方）", "Conflicts: changed on both sides (the newer side by default)";
    ReviewRefused => "已拒绝：不会应用", "Refused: never applied";
    ReviewCounts => "数量", "Counts";
    RecordKind => "记录类型", "Record";
    ReadFailed => "无法读取此文件，未做任何改动：", "Cannot read this file; nothing was changed:";
    NotUtf8 => "文件不是 UTF-8 文本（可能以 GBK 等其他编码另存过）：请用导出的原文件，或在编辑器中另存为 UTF-8", "the file is not UTF-8 text (it may have been saved again in another encoding, such as GBK): use the exported file, or save it as UTF-8 in your editor";
    NotTextFile => "这不是文本文件（可能是图片、Excel 工作簿、压缩包或 PDF）：请选择销售分级管理导出的文件", "this is not a text file (it may be an image, an Excel workbook, an archive or a PDF): choose a file Sales Tiers exported";
    ReviewInvalid => "无法合并：", "Cannot merge:";
    MineSide => "我的", "Mine";
    TheirsSide => "对方的", "Theirs";
    AllMine => "全部用我的", "All mine";
    AllTheirs => "全部用对方的", "All theirs";
    ApplyMerge => "应用合并", "Apply";
    KeysTitle => "签名密钥", "Signing keys";
    KeysBody => "签名的文件让收件人确认是谁发出的、发出后是否被改动。私钥只保存在本浏览器中；备份文件用口令加密。", "A signed file lets its receiver confirm who sent it and that it was not changed since. The private key stays in this browser; its backup file is locked with a passphrase.";
    MyKey => "我的密钥", "My key";
    MyKeyNeedsMe => "请先在上方选择“我是”，才能为发出的文件签名。", "Choose who you are above to sign the files you send.";
    MyKeyNone => "{0}还没有签名密钥。第一次发送文件时会自动创建，也可以现在创建。", "{0} has no signing key yet. One is created the first time you send a file, or create it now.";
    CreateMyKey => "创建我的密钥", "Create my key";
    Fingerprint => "指纹", "Fingerprint";
    FingerprintHelp => "与对方核对时，逐组念出这 6 组字符。", "To compare with someone, read these 6 groups aloud.";
    PublicKeyLabel => "公钥（发给收你文件的人记录，以便核对）", "Public key (send it to those who receive your files, to record and check them by)";
    BackUpKey => "备份我的密钥…", "Back up my key…";
    RestoreKey => "从备份恢复密钥…", "Restore a key from a backup…";
    KeyCreated => "已为{0}创建签名密钥，指纹{1}", "Signing key created for {0}: fingerprint {1}";
    KeyRestored => "已恢复{0}的签名密钥，指纹{1}", "Signing key of {0} restored: fingerprint {1}";
    KeyBackedUp => "密钥备份已写出：{0}", "Key backup written: {0}";
    KeyStoreFailed => "无法在浏览器中保存密钥：{0}", "The key could not be stored in this browser: {0}";
    NoRandom => "浏览器无法提供安全随机数：无法创建密钥，也无法加密文件", "This browser gives no secure random numbers: no key can be made and no file locked";
    KnownKeys => "已知公钥", "Known keys";
    KnownKeysNone => "本工作区还没有记录任何人的公钥。", "This workspace has recorded no one's key yet.";
    KeyPersonCol => "人员", "Person";
    KeyOriginCol => "记录方式", "How recorded";
    KeyRecordedCol => "记录时间", "Recorded";
    KeyStatusCol => "状态", "Status";
    OriginOwn => "本人（本浏览器的密钥）", "own (this browser's key)";
    OriginFirstFile => "首次签名文件（首次使用即信任）", "first signed file (trust on first use)";
    OriginPasted => "手动粘贴", "pasted";
    KeyActive => "有效", "active";
    KeyRevokedFrom => "自{0}起吊销", "revoked from {0}";
    Revoke => "吊销", "Revoke";
    ConfirmRevoke => "吊销此公钥？记录会保留，用它签名的文件将显示为“使用已吊销的公钥签名”。", "Revoke this key? The record stays, and files signed with it show as signed with a revoked key.";
    RecordKeyTitle => "记录他人的公钥", "Record someone's key";
    RecordKeyHelp => "粘贴对方发来的公钥（ed25519:…），并当面或电话核对指纹后再记录。", "Paste the key someone sent you (ed25519:…); compare its fingerprint with them in person or by phone before you record it.";
    RecordKeyButton => "记录", "Record";
    NotAPublicKey => "这不是有效的公钥（应为 ed25519: 加 44 个字符）", "This is not a valid public key (ed25519: and 44 characters)";
    KeyRecorded => "已记录{0}的公钥，指纹{1}", "Key of {0} recorded: fingerprint {1}";
    EncryptFiles => "用口令加密写出的文件", "Encrypt the files I write with a passphrase";
    ExportReadable => "便于阅读的文件（带缩进，较大）", "Readable file (indented, larger)";
    ExportReadableHelp => "默认写出紧凑的文件：更小，打开更快。带缩进的文件便于阅读和比较，同样可以导入。", "Files are compact by default: smaller and fastest to open. An indented file is easier to read and compare, and imports just the same.";
    EncryptHelp => "收件人需输入同一口令才能打开。请另行告知口令（如电话），不要与文件一起发送。", "The receiver needs the same passphrase to open it. Tell it another way (by phone), never with the file.";
    LockTitle => "为文件设置口令", "Set a passphrase for the file";
    UnlockTitle => "此文件已用口令加密", "This file is locked with a passphrase";
    KeyBackupTitle => "为密钥备份设置口令", "Set a passphrase for the key backup";
    KeyRestoreTitle => "输入密钥备份的口令", "Passphrase of the key backup";
    PassphraseLabel => "口令", "Passphrase";
    PassphraseAgain => "再输入一次", "Passphrase again";
    PassphraseMismatch => "两次输入的口令不一致", "The two passphrases differ";
    PassphraseHelp => "至少 8 个字符；几个不相关的词连在一起既好记又安全。忘记口令将无法打开文件。", "At least 8 characters; a few unrelated words are easy to remember and strong. A forgotten passphrase cannot be recovered.";
    UnlockButton => "打开", "Open";
    LockButton => "加密并写出", "Lock and write";
    Working => "正在计算…", "Working…";
    KeyBackupNotWorkspace => "这是签名密钥的备份，请在“签名密钥”中恢复。", "This is a signing key backup: restore it under Signing keys.";
    NotAKeyBackup => "这不是签名密钥的备份文件", "This is not a signing key backup";
    SealTitle => "签名", "Signature";
    TrustKey => "我已与{0}核对过指纹，记录为其公钥（首次使用即信任）", "I compared the fingerprint with {0}: record this key as theirs (trust on first use)";
    TrustKeyHelp => "请对方在其“签名密钥”中念出指纹，电话或当面核对，不要只看文件中的说法。", "Ask them to read the fingerprint under their Signing keys to you, by phone or in person; do not rely on what the file says.";
    SignerNotManager => "签名人不是此分支的负责人或其上级。", "The signer is not this branch's manager or a manager above it.";
    SignerUnproved => "无法确认发送人是此分支的负责人或其上级。", "Nothing proves the sender is this branch's manager or a manager above it.";
    ConfirmAnyway => "我确认仍要合并此文件", "I confirm I want to merge this file anyway";
    OpenTitle => "打开此文件？", "Open this file?";
    RestoreReplaces => "这将替换{0}在本浏览器中的现有密钥（指纹{1}）。如可能还需要它，请先备份。继续吗？", "This replaces {0}'s current key in this browser (fingerprint {1}). Back it up first if you may need it. Continue?";
    MyKeyRevoked => "此密钥已在本工作区吊销：之后发出的文件将改用新密钥签名。", "This key is revoked in this workspace: the files you send next are signed with a new key.";
    CreateNewKey => "创建新密钥", "Create a new key";
    NeedMeToSend => "请先在“我是”中选择你自己：回传的文件要写明发送人并签名。", "Choose who you are under “I am” first: a file sent back says who sent it and is signed.";
    PassphraseEmpty => "请输入口令", "Enter the passphrase";
    OpenSize => "{0}人，{1}个组织单元", "{0} people, {1} units";
    OpenFrom => "来自{0}，写于{1}", "from {0}, written {1}";
    OpenBranchOf => "{0}（{1}的分支）", "{0}, a branch of {1}";
    RecordKeyNow => "我已与{0}核对过指纹：记录此公钥", "I compared the fingerprint with {0}: record this key";
    OpenReplaces => "打开后将替换当前工作区（当前工作区会先备份，可在“备份”中恢复）。", "Opening replaces the current workspace (it is backed up first and can be restored under Backups).";
    OpenConfirm => "打开", "Open";
    MergedNotice => "已合并{0}：{1}。之前的工作区已备份，可撤销。", "Merged {0}: {1}. The previous workspace was backed up; undo takes it back.";
    OpAdded => "新增", "added";
    OpChanged => "修改", "changed";
    OpDeleted => "删除", "deleted";
    DeletedValue => "（已删除）", "(deleted)";
    EditedValue => "（已修改）", "(edited)";
    OtherGroup => "其他", "Other";
    AndMore => "另有{0}项", "and {0} more";
    BranchBanner => "{0}：{1}的分支，由{2}于{3}下发", "{0}, a branch of {1}, from {2}, {3}";
    GivenBadge => "上级下达", "given";
    GivenFromAbove => "上级下达给本分支的目标，只读；可分解给下级", "Given to this branch from above: read-only; split it to the units below";
    GivenBy => "由上级单元“{0}”下达", "given by “{0}” above";
    BranchReadOnly => "上级下达的数据与共享定义在此只读。", "What is given from above and the shared definitions are read-only here.";
    TargetGiven => "下达目标 FY{0}：{1}", "target given FY{0}: {1}";
    BudgetGiven => "下达预算 FY{0}：{1}", "budget given FY{0}: {1}";
    SendBack => "回传给我的上级", "Send to my manager";
    SendBackBody => "写出分支文件，包含收到以来的全部修改：{0}", "Writes the branch file with everything changed since it was received: {0}";
    NothingUnsent => "收到以来没有修改", "nothing changed since it was received";
    ExchangeLog => "往来记录", "Exchange log";
    LogEmpty => "还没有往来文件。", "No files exchanged yet.";
    LogSent => "下发", "sent";
    LogSentBack => "回传", "sent back";
    LogOpened => "打开", "opened";
    LogMerged => "合并", "merged";
    ColWhen => "时间", "When";
    ColAction => "动作", "Action";
    ColBranch => "分支", "Branch";
    ColWho => "经办 / 发送人", "By / from";
    ColRecords => "记录", "Records";
    ColConflicts => "冲突（决定）", "Conflicts (decided)";
    ColRefused => "拒绝", "Refused";
    BranchOpened => "已打开分支文件，之前的工作区已备份。", "Branch file opened. The previous workspace was backed up.";
    OpenedAs => "你在此以分支负责人{0}的身份工作；如不是本人，请在“数据与设置”页的“我是”中更改。", "You work here as {0}, the branch's manager; if that is not you, change it under “I am” on the Data & settings page.";
    ImportTitle => "导入", "Import";
    ImportBody => "选择或拖入 .json 文件。导入前会自动备份当前工作区；文件有问题时不会改动任何数据。", "Pick or drop a .json file. The current workspace is backed up first; a bad file changes nothing.";
    ChooseFile => "选择文件…", "Choose file…";
    DropHere => "或把文件拖到这里", "or drop it here";
    Imported => "导入成功，之前的工作区已备份。", "Imported. The previous workspace was backed up.";
    ImportFailed => "导入失败，数据未改动：", "Import failed, nothing was changed:";
    MergeFailed => "无法合并，数据未改动：", "Cannot merge, nothing was changed:";
    NotStoredNotReplaced => "新的工作区未能存入浏览器，所以没有替换任何内容，当前工作区保持不变。", "The new workspace could not be stored in this browser, so nothing was replaced; the current workspace is as it was.";
    BackupFailed => "无法备份当前工作区，为避免丢失数据，已取消替换。请先导出当前工作区。", "Could not back up the current workspace, so nothing was replaced. Export the current workspace first.";
    BackupsTitle => "备份", "Backups";
    PreviousWorkspace => "上一个工作区", "Previous workspace";
    NoBackup => "暂无备份。导入或重置工作区前会自动创建。", "No backup yet. One is made automatically before an import or reset.";
    Restore => "恢复", "Restore";
    Restored => "已恢复上一个工作区（被替换的版本成为新的备份）。", "Previous workspace restored (the one it replaced is now the backup).";
    BackupUnreadable => "备份无法读取：", "The backup cannot be read:";
    QuarantineList => "隔离区", "Quarantine";
    QuarantineNone => "没有被隔离的数据。", "Nothing in quarantine.";
    Discard => "删除", "Discard";
    ConfirmDiscard => "永久删除这份隔离数据？建议先下载。", "Delete this quarantined data for good? Download it first if unsure.";
    QuarantineCount => "{0} 份隔离数据，共 {1}", "{0} copies set aside, {1} in all";
    DownloadAll => "全部下载", "Download all";
    DiscardAll => "全部删除", "Discard all";
    ConfirmDiscardAll => "永久删除全部 {0} 份隔离数据？建议先全部下载。", "Delete all {0} quarantined copies for good? Download them first if unsure.";
    QuarantineEach => "逐份查看", "One by one";
    SettingsTitle => "工作区设置", "Workspace settings";
    WorkspaceName => "工作区名称", "Workspace name";
    Currency => "货币", "Currency";
    FiscalStart => "财年起始月", "Fiscal year starts in";
    DocLanguage => "文档语言（导出与报表）", "Document language (exports, reports)";
    StorageUsed => "本网站已用存储", "Storage used by this site";
    StorageLimit => "基于 Chromium 的浏览器为每个网站提供约 10 MB，Firefox 和 Safari 约 5 MB；本网站的其他数据也占用这部分空间。", "Chromium-based browsers give each site about 10 MB, Firefox and Safari about 5 MB; other data of this site counts too.";
    WorkspaceTitle => "工作区", "Workspace";
    SchemaVersion => "文件格式版本", "File format version";
    Created => "创建于", "Created";
    EditRefused => "无法修改：", "Change refused:";
    // Pillar 2: planning
    NavTargets => "目标分解", "Targets";
    NavBudget => "预算", "Budget";
    NavCapacity => "编制与产能", "Headcount & capacity";
    NavScenarios => "情景模拟", "Scenarios";
    FiscalYear => "财年", "Fiscal year";
    Editing => "正在编辑", "Editing";
    ThePlan => "正式计划", "The plan";
    Scenario => "情景", "Scenario";
    WhatIf => "模拟中：不影响正式计划", "What-if: the plan is untouched";
    Revenue => "销售额", "Revenue";
    NewCustomers => "新客户数", "New customers";
    GrossMargin => "毛利", "Gross margin";
    MethodEqual => "平均分配", "Equal split";
    MethodWeight => "按权重", "By weight";
    MethodHistory => "按上年占比", "By last year's share";
    MethodCapacity => "按产能", "By capacity";
    Quarters => "季度", "Quarters";
    Months => "月度", "Months";
    TargetsHelp => "直接编辑单元格（↑↓←→ 与回车移动）。季度或全年的数值会按各月现有比例分摊到月。红色：下级合计低于本级目标；橙色：超过本级目标加缓冲。", "Edit cells in place (arrows and Enter move). A quarter or year is spread over its months in their current proportions. Red: children hold less than the unit's target; orange: more than target plus buffer.";
    Lock => "锁定此期间", "Lock this period";
    Unlock => "解锁此期间", "Unlock this period";
    ChildrenSum => "下级合计", "Children";
    Buffer => "缓冲 %", "Buffer %";
    Weight => "权重", "Weight";
    LockLine => "锁定", "Locked";
    NotAnAmount => "“{0}” 不是有效的非负数额", "“{0}” is not a valid amount (zero or more)";
    FitUnder => "分配不足", "Under";
    FitOver => "超额分配", "Over";
    FitOk => "已平衡", "Balanced";
    SplitBy => "分解方式", "Split";
    Cascade => "分解到下级", "Cascade";
    CascadeHelp => "已锁定的下级保持不变；按分计算，不多不少。", "Locked children keep their numbers; exact to the cent.";
    Split => "分解…", "Split…";
    SplitFor => "分解…{0}", "Split… {0}";
    AllTheWayDown => "逐级分解到底", "all the way down";
    BudgetHelp => "金额以元为单位。下级预算不能超过上级剩余额度（鼠标悬停可见），否则会被拒绝并提示可用额度。", "Amounts in whole currency units. A sub-unit never gets more than its parent has left (hover a cell to see it); a larger amount is refused with what is available.";
    Total => "合计", "Total";
    ToolSeats => "工具席位费用", "Tool seats";
    ParentLeft => "上级剩余", "Parent has left";
    ToolSeatsHelp => "该单元人员的工具席位年费合计；超出工具预算时标红", "Yearly cost of the tool seats of the unit's people; red when over the tools budget";
    Tools => "工具与许可", "Tools & licences";
    CostPerSeat => "每席位年费", "Cost per seat / year";
    Seats => "席位", "Seats";
    SeatsForUnit => "为所选单元全员开通：", "Give seats to everyone in:";
    GiveSeats => "开通席位", "Give seats";
    AddTool => "添加工具", "Add tool";
    Categories => "预算类别", "Budget categories";
    ToolsCategory => "工具费用计入此类", "tool costs";
    AddCategory => "添加类别", "Add category";
    CapacityHelp => "产能 = Σ 销售代表按爬坡折算的指标 × 预期达成率；计划招聘按入职财月起算爬坡，每名预计离职者扣减半年全额指标。", "Capacity = Σ ramp-adjusted quota of reps × expected attainment; planned hires ramp from their start month; each expected leaver removes half a year of full quota.";
    Reps => "销售代表", "Reps";
    PlannedHires => "计划招聘", "Planned hires";
    Attrition => "预计离职", "Expected leavers";
    RampedQuota => "爬坡后指标", "Ramped quota";
    EffectiveCapacity => "有效产能", "Capacity";
    RepsNeeded => "所需人数", "Reps needed";
    Gap => "缺口", "Gap";
    HeadcountPlan => "编制计划", "Headcount plan";
    HiresIn => "入职于", "starting";
    AddHires => "添加招聘", "Add hires";
    Assumptions => "产能假设", "Capacity assumptions";
    QuotaPerRep => "每名代表全年指标", "Full quota per rep / year";
    ExpectedAttainment => "预期达成率 %", "Expected attainment %";
    Ramp => "新人爬坡 %（逐月）", "New-rep ramp % (by month)";
    RampHelp => "例如 25, 50, 75：入职第 1–3 个月分别按 25%、50%、75% 计，之后 100%。", "E.g. 25, 50, 75: months 1–3 count at 25 %, 50 %, 75 % of full quota, then 100 %.";
    TimeAllocation => "时间分配（各层级默认，可按人覆盖）", "Time allocation (tier defaults, per-person overrides)";
    TimeStrategy => "战略", "Strategy";
    TimeCoaching => "辅导", "Coaching";
    TimeSelling => "销售", "Selling";
    TimeAdmin => "行政", "Admin";
    TimeOther => "其他", "Other";
    UseTierDefault => "恢复层级默认", "Use tier default";
    PersonOverride => "个人覆盖", "Person override";
    ScenariosHelp => "情景是计划的副本：在目标、预算、编制页面顶部选择它即可修改，不影响正式计划，也不涉及实际业绩。满意后一键采用。", "A scenario is a copy of the plan: pick it at the top of Targets, Budget or Headcount to change it without touching the plan or any actuals. Adopt it when it is right.";
    ScenarioName => "情景名称，如“增加两名代表”", "Scenario name, e.g. “Two extra reps”";
    CreateScenario => "从当前计划创建情景", "Create from the plan";
    EditScenario => "编辑此情景", "Edit this scenario";
    Adopt => "采用为计划", "Adopt as the plan";
    Compare => "对比", "Comparison";
    // Pillar 1: organisation, people, tiers, grades
    NavChart => "组织架构图", "Org chart";
    NavPeople => "人员", "People";
    NavTiers => "层级与职责", "Tiers & duties";
    NavGrades => "职级与晋升", "Grades & promotion";
    Active => "在职", "Active";
    Close => "关闭", "Close";
    ConfirmDeletePerson => "删除此人？其记录将被移除（可撤销）。若只是离职，请把状态改为“已离职”以保留历史。", "Delete this person? The record is removed (undo brings it back). For a leaver, set the status to Left to keep their history.";
    EditPerson => "编辑人员", "Edit person";
    AddPerson => "添加人员", "Add person";
    NameZh => "中文名称", "Name (Chinese)";
    NameEn => "英文名称", "Name (English)";
    TitleZh => "职位（中文）", "Title (Chinese)";
    TitleEn => "职位（英文）", "Title (English)";
    Email => "邮箱", "E-mail";
    Phone => "电话", "Phone";
    HireDate => "入职日期", "Hire date";
    Status => "状态", "Status";
    SkillRatings => "技能评分（1–5）", "Skill ratings (1–5)";
    Notes => "备注", "Notes";
    History => "履历", "History";
    Delete => "删除", "Delete";
    Cancel => "取消", "Cancel";
    Save => "保存", "Save";
    Edit => "编辑", "Edit";
    Remove => "移除", "Remove";
    RemoveContactN => "移除联系人{0}", "Remove contact {0}";
    ContactN => "联系人{0}", "Contact {0}";
    AddRoot => "创建公司（根单元）", "Create the company (root unit)";
    Actions => "操作", "Actions";
    AddSubUnit => "添加下级单元", "Add sub-unit";
    Rename => "重命名", "Rename";
    MoveUnit => "移动", "Move";
    MoveUnder => "移动到此单元之下：", "Move under:";
    SetManager => "任命负责人", "Appoint manager";
    SearchPeople => "搜索姓名或邮箱…", "Search name or e-mail…";
    AllTiers => "全部层级", "All tiers";
    AllUnits => "全部单元", "All units";
    ChooseUnit => "请选择单元", "Choose a unit";
    ChooseUnitToSave => "选择单元后才能保存。", "Choose a unit to save.";
    AllGrades => "全部职级", "All grades";
    CurrentStaff => "在职与休假", "Current staff";
    Everyone => "全部", "Everyone";
    Name => "姓名", "Name";
    ItemName => "名称", "Name";
    Title => "职位", "Title";
    Grade => "职级", "Grade";
    Tenure => "司龄", "Tenure";
    FirstRowsOnly => "仅显示前 500 行，请用筛选缩小范围。", "Only the first 500 rows are shown: narrow the filters.";
    AddTier => "添加层级", "Add tier";
    TiersIntro => "每个层级有自己的职责。负责人须比其单元其他成员的层级更高。", "Each tier has its own duties. A unit's manager sits in a higher tier than its other members.";
    DutiesHelp => "职责：每行一条，“中文 | English”", "Duties: one per line, “中文 | English”";
    RemoveTier => "删除层级", "Remove tier";
    AvgSpan => "平均管理", "avg. span";
    MoveUp => "上移", "Move up";
    MoveDown => "下移", "Move down";
    Holders => "任职人员", "Held by";
    Manages => "管理", "manages";
    GradesIntro => "职级由明确的规则决定：取满足全部规则的最高职级。暂无数据的规则（如尚未录入目标）显示为“暂无数据”并跳过。", "A grade is the highest one whose rules all hold. Rules without data yet (e.g. no targets entered) show as “no data” and are skipped.";
    PromotionCandidates => "晋升候选人", "Promotion candidates";
    NoCandidates => "目前没有晋升候选人。", "No promotion candidates right now.";
    RecordedGrade => "已评定职级", "Recorded grade";
    Reason => "原因", "Reason";
    RecordPromotion => "记录晋升", "Record promotion";
    PromotionNote => "晋升备注（可选）", "Promotion note (optional)";
    GradeRules => "各层级职级规则", "Grade rules by tier";
    AddDefaultLadder => "添加默认职级（初级/中级/高级）", "Add default grades (junior/mid/senior)";
    AddGrade => "添加职级", "Add grade";
    NoGrades => "此层级未设职级。", "No grades for this tier.";
    NoRules => "无规则（始终满足）", "no rules (always met)";
    Periods => "期数", "periods";
    BadThreshold => "阈值无效：请输入非负数（技能评分最多一位小数）。", "Invalid threshold: enter a number ≥ 0 (skills rating with at most one decimal).";
    AddRule => "添加规则", "Add rule";
    RemoveGrade => "删除职级", "Remove grade";
    ManagerGrades => "经理职级与说明", "Manager grades, explained";
    NextStep => "下一职级还差", "Next grade needs";
    TopGrade => "已是最高职级", "Top grade";
    Candidate => "候选", "Candidate";
    Why => "为什么？", "Why?";
    WhyFor => "为什么？{0}", "Why? {0}";
    SkillsTitle => "技能", "Skills";
    SkillsIntro => "人员按这些技能评分（1–5），平均分用于职级规则。", "People are rated 1–5 on these skills; the average feeds the grade rules.";
    AddSkill => "添加技能", "Add skill";
    Fit => "适应窗口", "Fit";
    ShowRegions => "只看区域", "Regions only";
    Print => "打印", "Print";
    ChartHelp => "点击方框折叠或展开其下级；按住 Ctrl（Mac 上为 ⌘）滚动滚轮缩放，拖动平移。", "Click a box to fold or unfold its branch; hold Ctrl (⌘ on a Mac) and scroll to zoom, drag to pan.";
    ViewAs => "视角", "View as";
    // Pillar 4: CRM
    NavCustomers => "客户", "Customers";
    NavPipeline => "商机管道", "Pipeline";
    NavForecast => "预测与达成", "Forecast";
    AddCustomer => "新建客户", "Add customer";
    EditCustomer => "客户详情", "Customer";
    CustomerName => "客户名称", "Customer name";
    Industry => "行业", "Industry";
    Region => "地区", "Region";
    Segment => "客户规模", "Segment";
    Owner => "负责人", "Owner";
    KeyAccount => "重点客户", "Key account";
    KeyAccountsOnly => "仅重点客户", "Key accounts only";
    Contacts => "联系人", "Contacts";
    Role => "职务", "Role";
    AddContact => "添加联系人", "Add contact";
    Opportunities => "商机", "Opportunities";
    AddOpportunity => "新建商机", "Add opportunity";
    EditOpportunity => "商机详情", "Opportunity";
    OpportunityName => "商机名称", "Opportunity";
    Customer => "客户", "Customer";
    Amount => "金额", "Amount";
    CloseDate => "预计成交日期", "Close date";
    Stage => "阶段", "Stage";
    Stages => "销售阶段", "Stages";
    AddStage => "添加阶段", "Add stage";
    StagesHelp => "新的进行中阶段会排在赢单、输单之前。仍有商机的阶段不能删除；至少保留一个赢单和一个输单阶段。", "New open stages go before won and lost. A stage with deals in it cannot be removed; keep at least one won and one lost stage.";
    Outcome => "结果", "Outcome";
    OutcomeOpen => "进行中", "Open";
    OutcomeWon => "赢单", "Won";
    OutcomeLost => "输单", "Lost";
    Probability => "赢率", "Probability";
    ForecastCategory => "预测类别", "Forecast category";
    LossReason => "输单原因", "Loss reason";
    GrossMarginField => "毛利金额", "Gross margin (amount)";
    // Pillar 3: scorecards and payouts
    NavScorecards => "计分卡", "Scorecards";
    NavPayouts => "激励与薪酬", "Payouts";
    ScorecardsIntro => "各层级按本层级负责的指标考核：实际数自动来自商机、客户与目标，手工指标按人按期录入。点击姓名查看每项指标的计算。", "Each tier is judged on what it owns: actuals come from deals, customers and targets automatically; manual KPIs are entered per person and period. Click a name to see how every KPI was scored.";
    PayoutsIntro => "每个人的每一笔激励都附带计算公式；方案修改先看影响再保存。", "Every line of pay shows its formula with the real numbers; change a plan and see its cost before saving.";
    Kpi => "指标", "KPI";
    Score => "得分", "Score";
    Rating => "评级", "Rating";
    Tier => "层级", "Tier";
    Person => "人员", "Person";
    Note => "备注", "Note";
    Value => "数值", "Value";
    Unknown => "未记录", "not recorded";
    EnteredBy => "录入人：", "entered by ";
    EnteredByCol => "录入人 · 日期", "Entered by · on";
    PeopleScores => "人员得分", "People's scores";
    Calibration => "评级校准", "Calibration";
    CalibrationNote => "仅供参考：分布指引帮助讨论评级是否合理，不会强制调整任何人的评级。", "Guidance only: the guideline helps discuss whether ratings are fair; nobody's rating is forced to fit it.";
    SmallGroup => "人数少于 10 人：分布意义有限，请谨慎参考。", "Fewer than 10 people: a distribution means little here, read it with care.";
    ShareVsGuideline => "占比与指引", "Share vs guideline";
    Guideline => "指引", "guideline";
    ScorecardTemplate => "层级计分卡模板", "Scorecard template by tier";
    WeightPct => "权重 %", "Weight %";
    Curve => "计分曲线", "Scoring curve";
    CurveParams => "参数", "Parameters";
    CurveLinear => "线性（封顶）", "Linear (capped)";
    CurveThreshold => "门槛", "Threshold";
    CurveBanded => "分档", "Banded";
    Goal => "目标值", "Goal";
    GoalHint => "覆盖率填倍数（3 = 3 倍），比率填百分比（30 = 30%）", "Coverage as a multiple (3 = 3×), rates as a percent (30 = 30%)";
    AddKpiLine => "添加指标", "Add KPI";
    WeightSum => "权重合计", "Weights total";
    DraftRatings => "按此草稿的评级：", "Ratings with this draft: ";
    CoverageMet => "目标已达成，无需再覆盖：按满分计", "target already met, nothing left to cover: full marks";
    InForceFrom => "生效日期", "In force from";
    InForceTo => "截止日期", "In force until";
    NamedPeople => "指定人员", "Named people";
    NamedPeopleHint => "指定的人员按本方案结算，优先于其层级的方案。", "Named people are paid by this plan instead of their tier's.";
    Weights => "权重", "Weights";
    ManualKpis => "手工指标录入", "Manual KPI entries";
    CompletionPct => "完成度 %", "Completion %";
    BadKpiEntry => "请填写非负的实际值和大于 0 的目标值（完成度为 0–100）", "Enter an actual of zero or more and a target above zero (completion 0–100)";
    RatingBands => "评级档位", "Rating bands";
    MinScore => "最低分", "Minimum score";
    GuidelinePct => "指引占比 %", "Guideline %";
    BadBands => "档位无效：最低分须从高到低，最后一档为 0，名称不能为空", "Invalid bands: minimum scores must fall from the top, the last at 0, and names cannot be empty";
    CustomKpis => "自定义指标库", "Custom KPI library";
    AddKpi => "添加指标", "Add KPI";
    DirectorSummary => "总监汇总：激励成本与人员预算", "Director's summary: payout cost vs personnel budget";
    PeoplePaid => "获激励人数", "People paid";
    PayoutCost => "激励成本", "Payout cost";
    PersonnelBudget => "人员预算（本期）", "Personnel budget (period)";
    ShareOfBudget => "占预算", "Of budget";
    NoBudget => "无预算", "No budget";
    OverBudget => "超预算", "Over budget";
    NearBudget => "接近预算", "Near budget";
    WithinBudget => "预算内", "Within budget";
    BudgetProrated => "人员预算为年度“人员”类预算按期间月份折算（年度 × 月数 ÷ 12）。", "The personnel budget is the year's “Personnel” budget prorated to the period (year × months ÷ 12).";
    ExportAllCsv => "导出全部明细（CSV）", "Export all statements (CSV)";
    PayoutStatement => "激励明细单", "Payout statement";
    Plan => "方案", "Plan";
    NoPlan => "未分配方案", "No plan assigned";
    Calculation => "计算", "Calculation";
    DealsCounted => "计入的赢单", "Deals counted";
    IncentivePlans => "激励方案", "Incentive plans";
    NewPlan => "新建方案", "New plan";
    AppliesTo => "适用对象", "Applies to";
    Settles => "结算周期", "Settles";
    Rules => "规则", "Rules";
    Monthly => "按月", "Monthly";
    Quarterly => "按季", "Quarterly";
    Yearly => "按年", "Yearly";
    TierMode => "分档方式", "Tier mode";
    Marginal => "超额累进（各档只算本档部分）", "Marginal (each rate on its slice)";
    Retroactive => "全额适用（达到的档位适用全部）", "Retroactive (reached rate on everything)";
    ThresholdPct => "起付门槛 %", "Threshold %";
    CapAmount => "封顶金额", "Cap";
    OverridePct => "团队业绩提成 %", "Manager override %";
    ScorecardMultiplier => "乘以计分卡得分", "Scorecard multiplier";
    FromAttainment => "达成率自", "From attainment";
    RatePct => "提成比例", "Rate";
    AddRateTier => "添加档位", "Add tier";
    RateTier => "档位", "Tier";
    Line => "行", "Line";
    PlanWhatIf => "模拟：保存前的影响", "What-if before saving";
    TotalCost => "激励总成本", "Total payout cost";
    Now => "当前", "Now";
    Draft => "草稿", "Draft";
    BadPlanField => "有字段无法识别：比例填数字（如 5 或 2.5），金额填数字或留空", "A field does not read: rates as numbers (5 or 2.5), amounts as numbers or blank";
    BonusPools => "奖金池", "Bonus pools";
    MemberCap => "个人上限", "Cap per member";
    SetPool => "设置奖金池", "Set pool";
    PoolExplain => "按权重 × 计分卡得分分配：份额 = 奖金池 × wᵢsᵢ ÷ Σ wⱼsⱼ；超过上限的部分再分给其他成员。", "Split by weight × scorecard score: share = pool × wᵢsᵢ ÷ Σ wⱼsⱼ; what a capped member cannot take goes to the others.";
    Spifs => "专项激励（SPIF）", "SPIFs";
    Dates => "起止日期", "Dates";
    Bonus => "奖金", "Bonus";
    From => "开始", "From";
    To => "结束", "To";
    Measure => "考核内容", "Measure";
    NewCustomersCount => "新客户数", "New customers";
    ProductDeals => "指定产品赢单数", "Deals won with a product";
    Product => "产品", "Product";
    AddSpif => "添加专项激励", "Add SPIF";
    BadSpif => "请填写名称、起止日期、目标和奖金（数字）", "Enter a name, both dates, a goal and a bonus (numbers)";
    ProductsNotes => "产品 / 备注", "Products / notes";
    StageHistory => "阶段变更记录", "Stage history";
    PickCustomer => "请选择已有客户（输入名称可搜索），或先在“客户”页新建", "Pick an existing customer (type to search), or add it on the Customers page first";
    PickOwner => "请选择负责人", "Pick an owner";
    BadAmount => "金额无效：请输入非负数字，如 120000 或 1,200,000.50", "Invalid amount: enter a number of zero or more, e.g. 120000 or 1,200,000.50";
    BadDate => "日期无效", "Invalid date";
    BadProbability => "赢率应为 0–100 的整数", "Probability must be a whole number from 0 to 100";
    SearchCustomers => "搜索客户、行业、地区或联系人…", "Search customer, industry, region or contact…";
    SearchOpportunities => "搜索商机或客户…", "Search opportunity or customer…";
    AllSegments => "全部规模", "All segments";
    AllStages => "全部阶段", "All stages";
    OpenDeals => "进行中的商机", "Open deals";
    PastDue => "已逾期", "Past due";
    AllDeals => "全部商机", "All deals";
    AnyDate => "不限日期", "Any date";
    OpenPipeline => "未结商机", "Open pipeline";
    WonAmount => "赢单金额", "Won";
    ImportCsv => "导入 CSV", "Import CSV";
    ExportCsv => "导出 CSV", "Export CSV";
    ImportCustomers => "导入客户（CSV）", "Import customers (CSV)";
    ImportOpportunities => "导入商机（CSV）", "Import opportunities (CSV)";
    ImportActivities => "导入跟进记录（CSV）", "Import activities (CSV)";
    CsvHelp => "支持 UTF-8 与 GBK 编码、逗号或分号分隔，首行为标题。先核对每列对应的字段；有问题的行会列出原因且不会导入。点“取消”不会写入任何数据。", "UTF-8 or GBK, comma or semicolon separated, with a header row. Check which field each column maps to; rows with problems are listed with the reason and left out. Cancel writes nothing.";
    IgnoreColumn => "（忽略此列）", "(ignore column)";
    RequiredColumns => "缺少必需的列：", "Required columns not mapped:";
    TableView => "表格", "Table";
    KanbanView => "看板", "Kanban";
    KanbanHelp => "拖动卡片到其他阶段；或用 Tab 选中卡片后按 ← / → 移动，回车或空格打开详情。", "Drag a card to another stage, or focus it with Tab and press ← / → to move it; Enter or Space opens it.";
    Period => "期间", "Period";
    Target => "目标", "Target";
    ActualYear => "全年实际（赢单）", "Won this year";
    Actual => "实际（赢单）", "Actual (won)";
    Attainment => "达成率", "Attainment";
    ExpectedToDate => "按进度应达成", "Expected to date";
    Weighted => "加权管道", "Weighted pipeline";
    Coverage => "管道覆盖", "Coverage";
    BelowThreeX => "低于 3 倍", "under 3×";
    NoTarget => "无目标", "No target";
    OnTrack => "正常", "On track";
    SlightlyBehind => "略落后", "Behind";
    OffTrack => "落后", "Off track";
    ForecastRollup => "按层级汇总", "Rollup by hierarchy";
    ShowPeople => "显示人员", "Show people";
    ManagersCall => "经理判断", "Manager's call";
    MakeCall => "调整…", "Make a call…";
    ClearCall => "清除调整", "Clear call";
    ForecastHelp => "承诺 = 已成交 + 承诺类商机；最佳情况 = 承诺 + 最佳情况类；管道 = 最佳情况 + 管道类。按进度应达成 = 目标 × 已过时间 ÷ 期间长度，落后 10% 及以上为“落后”。覆盖 = 未结管道 ÷ 剩余目标，经验值为 3 倍。各单元的目标是它自己的目标：其下级单元的目标之和可以更高，多出的是在“目标分解”中设定的缓冲。", "Commit = closed + commit deals; best case = commit + best-case deals; pipeline = best case + pipeline deals. Expected = target × time elapsed ÷ period length; 10% or more behind is off track. Coverage = open pipeline ÷ target still to win; the rule of thumb is 3×. Each unit's target is its own: the targets of the units under it may add up to more, by the buffer set on Targets.";
    Funnel => "销售漏斗", "Funnel";
    DealStats => "赢单统计", "Deal statistics";
    WinRate => "赢率（赢单 ÷ 已结束）", "Win rate (won ÷ closed)";
    AvgDeal => "平均赢单金额", "Average won deal";
    SalesCycle => "平均销售周期", "Average sales cycle";
    WonDeals => "赢单", "Won";
    LostDeals => "输单", "Lost";
    ClearScope => "查看全部", "Show everything";
    // Texts with arguments: {0}, {1}, … are filled by T::fill.
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "找不到地址{0}。它可能已被移动，或链接有误。", "Nothing is at {0}. It may have moved, or the link is wrong.";
    BackHome => "返回组织概览", "Back to the organisation overview";
    MainNav => "主导航", "Main";
    ZoomIn => "放大", "Zoom in";
    ZoomOut => "缩小", "Zoom out";
    ViewingAs => "正在以“{0}”的视角查看：仅显示“{1}”及其下级", "Viewing as {0}: only {1} and the units below it are shown";
    NewTier => "新层级", "New tier";
    NewGrade => "新职级", "New grade";
    MyCompany => "我的公司", "My company";
    ListSep => "；", "; ";
    ListComma => "、", ", ";
    HistGrade => "职级 {0} → {1}", "grade {0} → {1}";
    HistGraded => "评定职级：{0}", "graded {0}";
    HistTier => "层级 {0} → {1}", "tier {0} → {1}";
    HistMoved => "调动 {0} → {1}", "moved {0} → {1}";
    MeetsGrade => "已满足“{0}”的全部规则", "meets every rule of {0}";
    MeetsNextTier => "已是本层级最高职级，并满足“{0}”的入门规则", "top grade of the tier and meets the entry rules of {0}";
    OverPeriods => "（{0}期）", " ({0} periods)";
    StageRemoved => "（已删除）", "(removed)";
    DealCreated => "新建商机“{0}”（{1}）", "opportunity “{0}” created ({1})";
    DealCount => "{0}个商机 · 未结{1}个，金额{2}", "{0} deals · {1} open, worth {2}";
    ClosingOutside => "另有{0}个在{1}之外结单 · 显示全部日期", "+{0} closing outside {1} · show every date";
    ShowAnyDate => "把期间设为“不限日期”", "Set the period to Any date";
    MoreCards => "另有{0}个 · 在表格中查看", "+{0} more · see them in the table";
    NoDealsMatch => "没有符合这些条件的商机", "No deals match these filters";
    ShowStageInTable => "在表格中查看此阶段的全部商机", "All of this stage's deals, in the table";
    CsvInfo => "{0}行数据 · 编码{1} · 分隔符 “{2}”", "{0} data rows · {1} · separator “{2}”";
    CsvSummary => "{0}行可导入，{1}行有问题（不会导入）", "{0} rows ready, {1} rows with problems (left out)";
    CsvNewCustomers => "将新建{0}个客户：{1}", "{0} new customers will be created: {1}";
    CsvLine => "第{0}行", "Line {0}";
    ImportRows => "导入{0}行", "Import {0} rows";
    ImportedRows => "已导入{0}行（可撤销）", "Imported {0} rows (undo reverts it)";
    FiscalMonthN => "第{0}财月", "fiscal month {0}";
    AdoptConfirm => "采用情景“{0}”作为计划？（可撤销）", "Adopt “{0}” as the plan? (Undo brings the old plan back.)";
    Days => "{0}天", "{0} days";
    FunnelStep => "{0}个经过 · 当前{1}个，金额{2}", "{0} reached · {1} now, worth {2}";
    FunnelConvert => "↓ 转化{0}", "↓ {0} convert";
    RolledUpCall => "汇总值：承诺{0} · 最佳情况{1}。调整值显示在汇总值旁边，不会替换它。", "Rolled up: commit {0} · best case {1}. Your call is shown beside it and never replaces it.";
    PeopleRated => "{0}人已评级", "{0} people rated";
    CurveCap => "封顶{0}%", "cap {0}%";
    CurveFloorCap => "门槛{0}%，封顶{1}%", "floor {0}%, cap {1}%";
    NamedPeopleCount => "{0}人（指定）", "{0} named people";
    RuleThreshold => "门槛{0}", "threshold {0}";
    RuleCap => "封顶{0}", "cap {0}";
    RuleOverride => "团队提成{0}", "override {0}";
    PeopleChange => "{0}人变化", "{0} people change";
    SettlesIn => "该方案按{0}结算：请在对应期间查看提成。", "This plan settles {0}: choose that period to see its commission.";
    SpifNewCustomers => "新客户 ≥ {0}", "new customers ≥ {0}";
    SpifWon => "赢单金额 ≥ {0}", "won ≥ {0}";
    SpifProduct => "“{0}”赢单 ≥ {1}", "“{0}” deals won ≥ {1}";
    CsvPeriod => "期间", "period";
    CsvKind => "类型", "kind";
    CsvAmount => "金额", "amount";
    CsvFormula => "计算", "formula";
    CsvTotal => "合计", "total";
    // Issue 17: typing into cells, long lists, org building.
    RowsShown => "第{0}–{1}条，共{2}条", "{0}–{1} of {2}";
    Pages => "分页", "Pages";
    PreviousPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    PageOf => "第{0}/{1}页", "page {0} of {1}";
    DealShownWhere => "“{0}”预计{1}成交，已切换到{2}显示。", "“{0}” closes on {1}: now showing {2}.";
    IncompleteDate => "请填写完整的日期", "enter a complete date";
    NoScorecardForTier => "“{0}”层级还没有计分卡：请在“计分卡”页为该层级设置模板。", "The {0} tier has no scorecard yet: set one up on the Scorecards page.";
    NoScoreData => "本期间计分卡的各项指标都还没有数据（目标、成交或手工录入），因此没有得分。", "No KPI of the scorecard has data in this period (targets, won deals or entries), so there is no score.";
    MakeManager => "同时任命为“{0}”的负责人", "Also make them the manager of {0}";
    LoadDemo => "载入演示数据", "Load the demo";
    ImportFile => "导入文件…", "Import a file…";
    ChartFolded => "为便于阅读，较低层级已折叠：点击方框展开，或点“全部展开”。", "Lower levels are folded so the chart stays readable: click a box to open it, or Expand all.";
    ChartFold => "收起{0}", "Fold {0}";
    ChartUnfold => "展开{0}", "Unfold {0}";
    ChartNodeTitle => "{0} · 负责人：{1} · {2}", "{0} · manager: {1} · {2}";
    // Issue 14: daily work and home pages.
    LogActivity => "记录跟进", "Log activity";
    LogActivityHint => "记录跟进（Alt+L）", "Log an activity (Alt+L)";
    PickACustomer => "请选择客户", "Pick a customer";
    NoCustomerNamed => "没有名为“{0}”的客户，请从列表中选择", "No customer is named “{0}”: pick one from the list";
    CustomersShareName => "有{0}个客户名为“{1}”，请从列表中选择（列表注明了区分它们的信息）", "{0} customers are named “{1}”: pick one from the list, which tells them apart";
    PickWhoAmI => "请先在“数据与设置”页的“我是”中选择你自己", "Choose who you are under “I am” on the Data & settings page first";
    ActivityLogged => "已记录跟进", "Activity logged";
    ActivityType => "类型", "Type";
    Date => "日期", "Date";
    Minutes => "时长（分钟）", "Duration (minutes)";
    ActivityOutcome => "结果", "Outcome";
    NextStepField => "下一步", "Next step";
    MakeTaskOfStep => "把下一步建为任务", "Make the next step a task";
    DueDate => "到期日", "Due";
    NewTask => "新建任务", "New task";
    PickAssignee => "请选择负责人", "Pick who does it";
    TaskAdded => "已新建任务", "Task added";
    TaskTitle => "任务", "Task";
    Assignee => "负责人", "Assignee";
    Priority => "优先级", "Priority";
    MinutesShort => "（{0}分钟）", " ({0} min)";
    NextStepIs => "{0} · 下一步：{1}", "{0} · next: {1}";
    CreatedIn => "新建于“{0}”", "created in {0}";
    StageEvent => "阶段", "Stage";
    ChangeEvent => "变更", "Change";
    TaskEvent => "任务", "Task";
    TaskDone => "已完成", "done";
    TaskOpen => "待办", "open";
    Overdue => "已逾期", "overdue";
    Timeline => "动态", "Timeline";
    NothingYet => "还没有记录", "Nothing yet";
    Opportunity => "商机", "Deal";
    WholeCustomer => "（整个客户）", "(the customer as a whole)";
    NavWork => "日常工作", "Daily work";
    MyTasks => "我的任务", "My tasks";
    TeamTasks => "团队任务", "Team tasks";
    TasksOf => "{0}的任务", "Tasks of {0}";
    DueOverdue => "已逾期", "Overdue";
    DueToday => "今天", "Today";
    DueThisWeek => "本周", "This week";
    DueLater => "以后", "Later";
    DoneTasks => "已完成", "Done";
    NoTasks => "没有任务", "No tasks";
    StaleDeals => "停滞商机", "Stale deals";
    StaleExplain => "进行中的商机：超过{0}天没有跟进（阶段可单独设置），或已过预计成交日。", "Open deals with no activity for {0} days (a stage may set its own), or past their close date.";
    LastActivity => "最近跟进", "Last activity";
    IdleDays => "未跟进天数", "Days idle";
    Never => "从未", "never";
    NoStaleDeals => "没有停滞的商机", "No stale deals";
    Activities => "跟进记录", "Activities";
    AllTypes => "全部类型", "All types";
    AllPeople => "全部人员", "Everyone";
    ExportActivities => "导出跟进记录 CSV", "Export activities (CSV)";
    ActivityCount => "{0}条", "{0} activities";
    StaleDaysSetting => "停滞天数", "Days before a deal is stale";
    NotifyTasks => "应用打开时提醒到期任务（浏览器通知）", "Remind me of due tasks while the app is open (browser notification)";
    NotifyDenied => "浏览器不允许通知：请在浏览器设置中允许本网站通知。", "The browser does not allow notifications: allow them for this site in the browser's settings.";
    TasksDueTitle => "到期任务", "Tasks due";
    TasksDueBody => "{0}个任务今天到期或已逾期", "{0} tasks are due today or overdue";
    Home => "首页", "Home";
    HomeFor => "{0}的首页", "Home of {0}";
    HomeDirector => "公司概览", "Company at a glance";
    HomeRegion => "区域概览", "Region at a glance";
    HomeTeam => "团队概览", "Team at a glance";
    HomeRep => "我的工作", "My work";
    HomeSeeAs => "显示为：“我是”（数据与设置页）或“视角”中选的经理；否则显示总监视图。", "Shown for “I am” (Data & settings page) or the manager picked in “View as”; otherwise the director's view.";
    MonthlyAttainment => "逐月业绩与目标", "Won against target, month by month";
    Cumulative => "累计", "Cumulative";
    Won => "成交", "Won";
    ForecastVsTarget => "预测与年度目标", "Forecast against the year's target";
    UnitsRanked => "下级单元达成排名", "Units ranked by attainment";
    PayoutVsBudget => "激励支出与人员预算", "Payout cost against the personnel budget";
    PayoutSoFar => "本年已产生激励", "Payouts so far this year";
    LeadsGrades => "团队负责人职级与晋升候选", "Team leads' grades and promotion candidates";
    PromotionCandidate => "晋升候选", "Promotion candidate";
    RepsBoard => "销售代表排行", "Reps leaderboard";
    ActivitiesThisWeek => "本周跟进", "Activities this week";
    OffTrackReps => "落后于进度的代表", "Reps off track";
    TeamOverdue => "团队逾期任务", "Overdue tasks of the team";
    MyAttainment => "我的业绩达成", "My attainment";
    ExpectedPayout => "预计激励（本年至今）", "Expected payout so far";
    MyPipeline => "我的管道（本财年预计成交，按阶段）", "My pipeline closing this fiscal year, by stage";
    ClosingThisMonth => "本月预计成交", "Deals closing this month";
    MyTasksToday => "今天和逾期的任务", "Tasks today and overdue";
    ShowTable => "显示表格", "Show as a table";
    ShowChart => "显示图表", "Show as a chart";
    Month => "月份", "Month";
    Pipeline => "管道", "Pipeline";
    Nobody => "无", "none";
    LoggedBy => "跟进人", "Logged by";
    PickWho => "请选择跟进人", "Pick who did it";
    TaskTitleNeeded => "请填写任务内容", "Say what the task is";
    NothingClosing => "本月没有预计成交的商机", "No deal is expected to close this month";
}

/// "1 人" / "1 person", "5 人" / "5 people".
pub fn people_count(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Zh, n) => format!("{n} 人"),
        (Lang::En, 1) => "1 person".to_string(),
        (Lang::En, n) => format!("{n} people"),
    }
}

/// Month names for selects.
pub fn month_name(m: u8, lang: Lang) -> String {
    const EN: [&str; 12] =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    match lang {
        Lang::Zh => format!("{m} 月"),
        Lang::En => EN[(m.clamp(1, 12) - 1) as usize].to_string(),
    }
}

pub use sales_tiers_core::i18n::human_bytes;

/// "3 年 2 个月" / "3 y 2 m".
pub fn tenure_text(months: i64, lang: Lang) -> String {
    let (y, m) = (months / 12, months % 12);
    match lang {
        Lang::Zh if y > 0 => format!("{y} 年 {m} 个月"),
        Lang::Zh => format!("{m} 个月"),
        Lang::En if y > 0 => format!("{y} y {m} m"),
        Lang::En => format!("{m} m"),
    }
}
