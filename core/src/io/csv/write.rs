//! Writing CSV: UTF-8 with a BOM, cells a spreadsheet would run as a
//! formula escaped, and the customer and opportunity exports.

use super::fields::{category_names, segment_names, status_names, Field, Target};
use crate::i18n::Lang;
use crate::model::*;

/// A cell a spreadsheet would not run as a formula: one starting with
/// = + - @ (or a tab or carriage return) gets a leading apostrophe — except
/// a plain number ("-6000.00"), which must stay a number so sums work.
/// [`super::read::unescape_cell`] undoes it on import.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(s) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// "-6000.00", "12", "0.5": an optional minus, digits, an optional
/// fraction. Nothing a spreadsheet could run.
pub fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty() && !frac.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// UTF-8 with BOM, comma-separated, CRLF line ends, every cell made safe.
pub fn write(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut put = |cells: &[String]| {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(cells.iter().map(|c| safe_cell(c)));
    };
    put(headers);
    for r in rows {
        put(r);
    }
    let body = w.into_inner().unwrap_or_default();
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(body);
    out
}

fn person_email(ws: &Workspace, id: Option<Id>) -> String {
    id.and_then(|i| ws.people.get(&i)).map(|p| p.email.clone()).unwrap_or_default()
}

fn money_cell(m: Money) -> String {
    // Plain number (no grouping) so spreadsheets read it as a number.
    let s = m.plain();
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

/// The customers table as CSV (in the order given).
pub fn export_customers<'a>(ws: &Workspace, rows: impl IntoIterator<Item = &'a Customer>, lang: Lang) -> Vec<u8> {
    let fields = Field::of(Target::Customers);
    let headers: Vec<String> = fields.iter().map(|f| f.name(lang).to_string()).collect();
    let pick = |(zh, en): (&str, &str)| lang.pick(zh, en).to_string();
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|c| {
            let first = c.contacts.first().cloned().unwrap_or_default();
            fields
                .iter()
                .map(|f| match f {
                    Field::CustomerName => c.name.clone(),
                    Field::Industry => c.industry.clone(),
                    Field::Region => c.region.clone(),
                    Field::Segment => pick(segment_names(c.segment)),
                    Field::Owner => ws.person_name(c.owner, lang),
                    Field::OwnerEmail => person_email(ws, c.owner),
                    Field::KeyAccount => pick(if c.key_account { ("是", "yes") } else { ("否", "no") }),
                    Field::Status => pick(status_names(c.status)),
                    Field::Created => c.created.to_string(),
                    Field::Notes => c.notes.clone(),
                    Field::ContactName => first.name.clone(),
                    Field::ContactRole => first.role.clone(),
                    Field::ContactPhone => first.phone.clone(),
                    Field::ContactEmail => first.email.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    write(&headers, &body)
}

/// The opportunities table as CSV (in the order given), plus the closed date.
pub fn export_opportunities<'a>(ws: &Workspace, rows: impl IntoIterator<Item = &'a Opportunity>, lang: Lang) -> Vec<u8> {
    let fields = Field::of(Target::Opportunities);
    let mut headers: Vec<String> = fields.iter().map(|f| f.name(lang).to_string()).collect();
    headers.push(lang.pick("实际成交/输单日期", "Closed on").to_string());
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|o| {
            let mut r: Vec<String> = fields
                .iter()
                .map(|f| match f {
                    Field::DealName => o.name.clone(),
                    Field::Customer => ws.customers.get(&o.customer).map(|c| c.name.clone()).unwrap_or_default(),
                    Field::Owner => ws.person_name(Some(o.owner), lang),
                    Field::OwnerEmail => person_email(ws, Some(o.owner)),
                    Field::Amount => money_cell(o.amount),
                    Field::CloseDate => o.close_date.to_string(),
                    Field::Stage => ws.stages.get(&o.stage).map(|s| s.name.get(lang).to_string()).unwrap_or_default(),
                    Field::Probability => format!("{}%", o.probability),
                    Field::Category => {
                        let (zh, en) = category_names(o.category);
                        lang.pick(zh, en).to_string()
                    }
                    Field::Created => o.created.to_string(),
                    Field::LossReason => o.loss_reason.clone(),
                    Field::Notes => o.notes.clone(),
                    _ => String::new(),
                })
                .collect();
            r.push(o.closed.map(|d| d.to_string()).unwrap_or_default());
            r
        })
        .collect();
    write(&headers, &body)
}

/// Logged activities as CSV (in the order given), with the import's
/// column names, so an exported file imports back.
pub fn export_activities<'a>(ws: &Workspace, rows: impl IntoIterator<Item = &'a Activity>, lang: Lang) -> Vec<u8> {
    let fields = Field::of(Target::Activities);
    let headers: Vec<String> = fields.iter().map(|f| f.name(lang).to_string()).collect();
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|a| {
            fields
                .iter()
                .map(|f| match f {
                    Field::ActivityDate => a.on.to_string(),
                    Field::ActivityType => {
                        let (zh, en) = a.kind.names();
                        lang.pick(zh, en).to_string()
                    }
                    Field::Customer => ws.customers.get(&a.customer).map(|c| c.name.clone()).unwrap_or_default(),
                    Field::DealName => a.opportunity.and_then(|d| ws.opportunities.get(&d)).map(|o| o.name.clone()).unwrap_or_default(),
                    Field::Owner => ws.person_name(Some(a.by), lang),
                    Field::OwnerEmail => person_email(ws, Some(a.by)),
                    Field::Minutes if a.minutes > 0 => a.minutes.to_string(),
                    Field::Outcome => a.outcome.clone(),
                    Field::NextStep => a.next_step.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    write(&headers, &body)
}
