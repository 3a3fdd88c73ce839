//! CSV import and export of customers and opportunities.
//!
//! Import is three steps, none of which touches the workspace until the
//! last: [`parse`] (UTF-8 or GBK, comma or semicolon, header row),
//! [`auto_map`] (columns to fields, by header name in either language), and
//! [`plan`] (each row checked; good rows become one batch edit, bad rows are
//! listed with their line number and reason). The caller applies the batch
//! only when the user confirms, so cancelling writes nothing.
//!
//! Export writes UTF-8 with a BOM (so Excel picks the encoding) and escapes
//! cells that a spreadsheet would run as a formula.
//!
//! The pieces: `read` (decoding, delimiter sniffing, [`parse`]), `fields`
//! (the fields, their names and [`auto_map`]), `import` (row checks and
//! [`plan`]) and `write` (safe cells and the exports).

mod fields;
mod import;
mod read;
mod write;

pub use fields::{auto_map, category_names, missing_required, segment_names, status_names, Field, Target};
pub use import::{parse_date, plan, BadRow, ImportPlan, RowProblem};
pub use read::{decode, is_utf8, parse, parse_text, unescape_cell, CsvError, Encoding, Table};
pub use write::{export_activities, export_customers, export_opportunities, is_plain_number, safe_cell, write};
