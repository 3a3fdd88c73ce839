//! What a workspace keeps about the files it exchanges with other managers:
//! where a branch workspace came from ([`BranchInfo`]) and the log of files
//! sent, opened and merged ([`ExchangeEntry`]). The rules (what is in a
//! branch, what a merge takes) live in `engine::exchange`.

use super::{Id, Kind, Text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A person as a file or the log names them: id and name as they were then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// The person (a key of `people` in the sender's workspace).
    pub id: Id,
    /// Their name when the file was written.
    pub name: Text,
}

/// Where a branch workspace came from. Present only in a branch: the
/// document then holds one unit's subtree (its root has no parent here; the
/// real parent is kept below) plus the shared definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BranchInfo {
    /// The branch's root unit (a key of `units`). Its record, and its own
    /// target and budget lines, are given from above: read-only here.
    pub root: Id,
    /// The root's parent in the whole workspace (null: the branch is the whole tree).
    #[serde(default)]
    pub parent: Option<Id>,
    /// The parent's name, for "given by …".
    #[serde(default)]
    pub parent_name: Text,
    /// The whole workspace's name.
    pub workspace_name: String,
    /// When the branch was written from its parent workspace (RFC 3339).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub issued_at: DateTime<Utc>,
    /// Who wrote it (null: not said).
    #[serde(default)]
    pub issued_by: Option<Sender>,
    /// Who sent the branch back up, and when (set only in a file sent back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_by: Option<Sender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_at: Option<DateTime<Utc>>,
    /// The revision of every record of the branch when it was issued, by id:
    /// a record is changed on a side when its revision there differs.
    #[serde(default)]
    pub base: BTreeMap<Id, u64>,
}

/// What a log entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExchangeAction {
    /// A branch file written for a manager below.
    Sent,
    /// A branch file written back to the manager above.
    SentBack,
    /// A branch file opened as this workspace (replacing it).
    Opened,
    /// A file merged into this workspace after a review.
    Merged,
}

/// Which side a conflict was decided for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The record as this workspace had it.
    Mine,
    /// The record as the file had it.
    Theirs,
}

/// A conflict as the log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConflictNote {
    pub kind: Kind,
    pub id: Id,
    /// The record's name when decided.
    pub label: String,
    pub chosen: Side,
}

/// Added / changed / deleted records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub added: u32,
    pub changed: u32,
    pub deleted: u32,
}

impl BranchInfo {
    /// Who the file comes from: whoever sent it back, else its issuer.
    pub fn sender(&self) -> Option<&Sender> {
        self.returned_by.as_ref().or(self.issued_by.as_ref())
    }
}

impl Counts {
    pub fn total(&self) -> u32 {
        self.added + self.changed + self.deleted
    }
}

/// One file sent, opened or merged. Entries are never edited or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeEntry {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub action: ExchangeAction,
    /// The branch's root unit (null: a whole-workspace file).
    #[serde(default)]
    pub branch: Option<Id>,
    /// The branch's name then.
    #[serde(default)]
    pub branch_name: Text,
    /// Who did it in this browser (its "who am I"; null: not said).
    #[serde(default)]
    pub by: Option<Sender>,
    /// Who wrote the file (opened and merged files).
    #[serde(default)]
    pub sender: Option<Sender>,
    /// When the file was written.
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub file_at: DateTime<Utc>,
    /// The file's checksum: the same file merged twice is recognised.
    #[serde(default)]
    pub checksum: String,
    /// Records taken from the file (merged) or written into it (sent).
    #[serde(default)]
    pub counts: Counts,
    /// Conflicts and how they were decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictNote>,
    /// Changes the file made that were refused.
    #[serde(default)]
    pub refused: u32,
    /// The revision of every record of the file that was decided here
    /// (taken, kept or refused), by id: a later file holding the same or an
    /// older revision brings nothing new for it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<Id, u64>,
    /// The revision each of those records had here after the merge: a
    /// record still at it has not been changed here since.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<Id, u64>,
}
