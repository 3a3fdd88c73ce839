//! CSV import (awkward files, mapping, per-row checks) and export (BOM, escaping).
mod common;
use common::*;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::io::csv::*;
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{apply, Edit, Lang};

fn today() -> chrono::NaiveDate {
    t0().date_naive()
}

fn ids() -> impl FnMut() -> sales_tiers_core::Id {
    let mut n = 50_000;
    move || {
        n += 1;
        id(n)
    }
}

#[test]
fn quotes_embedded_newlines_bom_and_blank_lines() {
    let text = "\u{feff}Customer name,Notes\r\n\r\n\"Acme, Inc.\",\"says \"\"hi\"\"\nsecond line\"\r\n\r\nBeta,\r\n";
    let t = parse(text.as_bytes()).unwrap();
    assert_eq!(t.encoding, Encoding::Utf8);
    assert_eq!(t.headers, vec!["Customer name", "Notes"], "the BOM is not part of the first header");
    assert_eq!(t.rows.len(), 2, "blank lines are skipped");
    assert_eq!(t.rows[0].1, vec!["Acme, Inc.", "says \"hi\"\nsecond line"]);
    assert_eq!(t.rows[1].1, vec!["Beta", ""]);
    // Line numbers are where the row starts in the file.
    assert_eq!(t.rows[0].0, 3);
    assert_eq!(t.rows[1].0, 6);
}

#[test]
fn gbk_files_from_chinese_excel_decode() {
    let (bytes, _, _) = encoding_rs::GBK.encode("客户名称;行业\n上海恒泰;汽车零部件\n");
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK bytes");
    let t = parse(&bytes).unwrap();
    assert_eq!(t.encoding, Encoding::Gbk);
    assert_eq!(t.delimiter, b';', "semicolon sniffed from the header");
    assert_eq!(t.headers, vec!["客户名称", "行业"]);
    assert_eq!(t.rows[0].1, vec!["上海恒泰", "汽车零部件"]);
}

#[test]
fn empty_files_and_a_header_only_file() {
    assert_eq!(parse(b"").unwrap_err(), CsvError::Empty);
    assert_eq!(parse(b"\n\n  \n").unwrap_err(), CsvError::Empty);
    let t = parse(b"a,b\n").unwrap();
    assert!(t.rows.is_empty());
    assert!(!CsvError::Empty.message(Lang::Zh).is_empty());
}

#[test]
fn headers_map_in_either_language_and_by_synonym() {
    let h: Vec<String> =
        ["商机名称", "Account Name", "owner email", "金额", "close", "阶段", "whatever"].iter().map(|s| s.to_string()).collect();
    let m = auto_map(&h, Target::Opportunities);
    assert_eq!(
        m,
        vec![
            Some(Field::DealName),
            Some(Field::Customer),
            Some(Field::OwnerEmail),
            Some(Field::Amount),
            Some(Field::CloseDate),
            Some(Field::Stage),
            None
        ]
    );
}

#[test]
fn opportunity_rows_are_checked_one_by_one_and_good_rows_import() {
    let mut ws = demo();
    let rep = ws.people.values().find(|p| p.title.en == "Sales Representative" && !p.email.is_empty()).unwrap().clone();
    let customer = ws.customers.values().next().unwrap().name.clone();
    let before = ws.opportunities.len();
    let csv = format!(
        "Opportunity,Customer,Owner,Amount,Close date,Stage,Probability\n\
         Good one,{customer},{},\"¥120,000\",2026-12-15,Proposal,\n\
         Bad amount,{customer},{},abc,2026-12-15,Lead,\n\
         Short row,{customer}\n\
         New customer deal,Brand New Co,{},50000,2026/12/20,方案,45%\n\
         Nobody,{customer},No Such Person,100,2026-12-01,,\n",
        rep.email, rep.name.en, rep.name.zh
    );
    let t = parse(csv.as_bytes()).unwrap();
    let m = auto_map(&t.headers, Target::Opportunities);
    let p = plan(&ws, &t, &m, Target::Opportunities, today(), Lang::En, ids());
    assert_eq!(p.good, 2);
    let lines: Vec<usize> = p.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, vec![3, 4, 6]);
    assert!(matches!(p.bad[0].problem, RowProblem::BadNumber { field: Field::Amount, .. }));
    assert_eq!(p.bad[1].problem, RowProblem::ColumnCount { found: 2, expected: 7 });
    assert!(p.bad[2].problem.message(Lang::En).contains("No Such Person"));
    assert_eq!(p.new_customers, vec!["Brand New Co".to_string()]);
    // Nothing changed until the batch is applied; then it is one undo step.
    assert_eq!(ws.opportunities.len(), before);
    let patch = apply(&mut ws, &p.edit, later(1)).unwrap();
    assert_eq!(ws.opportunities.len(), before + 2);
    let good = ws.opportunities.values().find(|o| o.name == "Good one").unwrap();
    assert_eq!(good.amount, Money::from_units(120_000));
    assert_eq!(good.probability, 40, "empty probability takes the stage default");
    assert_eq!(good.owner, rep.id);
    let other = ws.opportunities.values().find(|o| o.name == "New customer deal").unwrap();
    assert_eq!(other.probability, 45);
    assert_eq!(ws.customers[&other.customer].name, "Brand New Co");
    assert!(validate(&ws).is_empty());
    patch.apply(&mut ws);
    assert_eq!(ws.opportunities.len(), before);
}

#[test]
fn customer_rows_refuse_duplicates_and_bad_choices() {
    let ws = demo();
    let existing = ws.customers.values().next().unwrap().name.clone();
    let csv = format!(
        "客户名称,客户规模,重点客户,负责人\n\
         新客户甲,大型,是,\n\
         {existing},中型,否,\n\
         新客户甲,小型,否,\n\
         新客户乙,巨大,否,\n\
         新客户丙,,maybe,\n"
    );
    let t = parse(csv.as_bytes()).unwrap();
    let m = auto_map(&t.headers, Target::Customers);
    let p = plan(&ws, &t, &m, Target::Customers, today(), Lang::Zh, ids());
    assert_eq!(p.good, 1);
    let problems: Vec<RowProblem> = p.bad.iter().map(|b| b.problem.clone()).collect();
    assert_eq!(problems[0], RowProblem::CustomerExists(existing));
    assert_eq!(problems[1], RowProblem::DuplicateInFile { line: 2 });
    assert!(matches!(problems[2], RowProblem::BadChoice { field: Field::Segment, .. }));
    assert!(matches!(problems[3], RowProblem::BadChoice { field: Field::KeyAccount, .. }));
    for b in &p.bad {
        assert!(!b.problem.message(Lang::Zh).is_empty() && !b.problem.message(Lang::En).is_empty());
    }
}

#[test]
fn absurd_values_are_caught_by_the_edit_path_per_row() {
    let ws = demo();
    let rep = ws.people.values().find(|p| p.title.en == "Sales Representative").unwrap().clone();
    let long = "x".repeat(500);
    let csv = format!(
        "Opportunity,Customer,Owner,Amount,Close date\n{long},C,{},1,2026-12-01\nok,C,{},-5,2026-12-01\nok2,C,{},99999999999999999,2026-12-01\n",
        rep.name.en, rep.name.en, rep.name.en
    );
    let t = parse(csv.as_bytes()).unwrap();
    let m = auto_map(&t.headers, Target::Opportunities);
    let p = plan(&ws, &t, &m, Target::Opportunities, today(), Lang::En, ids());
    assert_eq!(p.good, 0);
    assert_eq!(p.bad.len(), 3);
    assert!(matches!(p.bad[0].problem, RowProblem::Refused(_)));
    assert_eq!(p.bad[1].problem, RowProblem::Negative(Field::Amount));
}

#[test]
fn export_has_a_bom_crlf_and_escapes_formulas() {
    let headers = vec!["Name".to_string(), "Note".to_string()];
    let rows = vec![
        vec!["=HYPERLINK(\"http://x\")".to_string(), "+1".to_string()],
        vec!["-2abc".to_string(), "@SUM(A1)".to_string()],
        vec!["plain, with comma".to_string(), "line\nbreak".to_string()],
        // A negative amount stays a number (a cap line on a statement): sums must work.
        vec!["-6000.00".to_string(), "-1+1".to_string()],
        vec!["'kept".to_string(), "-".to_string()],
    ];
    let out = write(&headers, &rows);
    assert_eq!(&out[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&out[3..]).unwrap();
    assert_eq!(
        text,
        "Name,Note\r\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1\r\n'-2abc,'@SUM(A1)\r\n\"plain, with comma\",\"line\nbreak\"\r\n-6000.00,'-1+1\r\n'kept,'-\r\n"
    );
    // Export → import is an identity: the escape this app added is taken off again.
    let back = parse(&out).unwrap();
    assert_eq!(back.headers, headers);
    assert_eq!(
        back.rows.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(),
        rows.iter().map(|r| r.iter().map(|c| c.trim().to_string()).collect()).collect::<Vec<Vec<String>>>()
    );
}

#[test]
fn exported_opportunities_import_back_with_the_same_figures() {
    let ws = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut deals: Vec<&Opportunity> = ws.opportunities.values().take(40).collect();
        deals.arrange_by_key(|o| o.id);
        let bytes = export_opportunities(&ws, deals.iter().copied(), lang);
        let t = parse(&bytes).unwrap();
        let m = auto_map(&t.headers, Target::Opportunities);
        assert!(m.iter().filter(|f| f.is_some()).count() >= 11, "{lang:?}: every exported column maps back");
        // Into a copy without those deals: same amounts, stages and owners come back.
        let mut fresh = ws.clone();
        for o in &deals {
            fresh.opportunities.remove(&o.id);
        }
        let p = plan(&fresh, &t, &m, Target::Opportunities, today(), lang, ids());
        assert!(p.bad.is_empty(), "{lang:?}: {:?}", p.bad.first().map(|b| b.problem.message(Lang::En)));
        apply(&mut fresh, &p.edit, later(1)).unwrap();
        let total = |w: &sales_tiers_core::Workspace| w.opportunities.values().map(|o| o.amount.0).sum::<i64>();
        assert_eq!(total(&fresh), total(&ws));
    }
}

#[test]
fn customers_export_and_a_realistic_import_flow() {
    let ws = demo();
    let bytes = export_customers(&ws, ws.customers.values().take(5), Lang::Zh);
    let t = parse(&bytes).unwrap();
    assert_eq!(t.rows.len(), 5);
    assert_eq!(auto_map(&t.headers, Target::Customers).iter().filter(|f| f.is_some()).count(), Field::of(Target::Customers).len());
    // Importing the same customers again is refused row by row (they exist).
    let p = plan(&ws, &t, &auto_map(&t.headers, Target::Customers), Target::Customers, today(), Lang::Zh, ids());
    assert_eq!((p.good, p.bad.len()), (0, 5));
    let _ = Edit::Batch { edits: vec![] };
}

#[test]
fn a_bare_email_column_is_the_contact_in_a_customer_file_and_the_owner_in_a_deal_file() {
    let headers: Vec<String> = ["Customer", "Owner", "Contact", "Email"].iter().map(|h| h.to_string()).collect();
    let m = auto_map(&headers, Target::Customers);
    assert_eq!(m[3], Some(Field::ContactEmail), "it used to map to the owner's e-mail and fail every row");
    let deal_headers: Vec<String> = ["Opportunity", "Customer", "Amount", "Email"].iter().map(|h| h.to_string()).collect();
    assert_eq!(auto_map(&deal_headers, Target::Opportunities)[3], Some(Field::OwnerEmail));
    let both: Vec<String> = ["Customer", "Owner e-mail", "Email"].iter().map(|h| h.to_string()).collect();
    assert_eq!(auto_map(&both, Target::Customers)[1..], [Some(Field::OwnerEmail), Some(Field::ContactEmail)]);
}
