#![allow(dead_code)]
use chrono::{DateTime, TimeZone, Utc};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::edit::{CustomerFields, OpportunityFields, PersonFields};
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, Id, Lang, Workspace};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

pub fn later(secs: i64) -> DateTime<Utc> {
    t0() + chrono::Duration::seconds(secs)
}

pub fn demo() -> Workspace {
    generate(&DemoOptions::new(t0()))
}

/// Deterministic ids for tests: n → 0000…n with v4 bits.
pub fn id(n: u32) -> Id {
    let mut b = [0u8; 16];
    b[12..].copy_from_slice(&n.to_be_bytes());
    Id::from_random_bytes(b)
}

pub fn fields(name: &str, tier: Id) -> PersonFields {
    PersonFields {
        name: Text::both(name),
        title: Text::default(),
        tier,
        email: String::new(),
        phone: String::new(),
        hire_date: None,
        status: Status::Active,
        notes: String::new(),
    }
}

/// A small org built through edits: company (director), one region, two teams.
/// Returns the workspace and ids: (tiers[4], company, region, team_a, team_b).
pub fn small_org() -> (Workspace, [Id; 4], Id, Id, Id, Id) {
    let mut ws = Workspace::empty(id(9999), "Test", Lang::En, t0());
    let tiers = [id(1), id(2), id(3), id(4)];
    for (i, t) in tiers.iter().enumerate() {
        apply(&mut ws, &Edit::AddTier { id: *t, name: Text::both(format!("T{i}")), duties: vec![] }, t0()).unwrap();
    }
    let (company, region, ta, tb) = (id(10), id(11), id(12), id(13));
    apply(&mut ws, &Edit::AddUnit { id: company, name: Text::both("Co"), parent: None }, t0()).unwrap();
    apply(&mut ws, &Edit::AddUnit { id: region, name: Text::both("Region"), parent: Some(company) }, t0()).unwrap();
    apply(&mut ws, &Edit::AddUnit { id: ta, name: Text::both("Team A"), parent: Some(region) }, t0()).unwrap();
    apply(&mut ws, &Edit::AddUnit { id: tb, name: Text::both("Team B"), parent: Some(region) }, t0()).unwrap();
    apply(&mut ws, &Edit::AddPerson { id: id(100), unit: company, fields: fields("Director", tiers[0]) }, t0()).unwrap();
    apply(&mut ws, &Edit::SetManager { unit: company, person: Some(id(100)) }, t0()).unwrap();
    for (i, team) in [ta, tb].iter().enumerate() {
        for j in 0..2 {
            let pid = id(200 + (i * 10 + j) as u32);
            apply(&mut ws, &Edit::AddPerson { id: pid, unit: *team, fields: fields(&format!("Rep {i}{j}"), tiers[3]) }, t0()).unwrap();
        }
    }
    (ws, tiers, company, region, ta, tb)
}

pub fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A medium-sized active customer.
pub fn customer_fields(name: &str, owner: Option<Id>, created: chrono::NaiveDate) -> CustomerFields {
    CustomerFields {
        name: name.into(),
        industry: String::new(),
        region: String::new(),
        segment: Segment::Medium,
        owner,
        key_account: false,
        status: CustomerStatus::Active,
        notes: String::new(),
        created,
        contacts: vec![],
    }
}

/// A deal in one of the default stages (by key: "lead", "won", …), 10 %, pipeline.
pub fn deal_fields(customer: Id, owner: Id, amount: i64, close: chrono::NaiveDate, stage: &str) -> OpportunityFields {
    OpportunityFields {
        name: "Deal".into(),
        customer,
        owner,
        amount: Money(amount),
        close_date: close,
        stage: default_stage_id(stage),
        probability: 10,
        category: ForecastCategory::Pipeline,
        notes: String::new(),
        created: date(2026, 1, 10),
        loss_reason: String::new(),
        margin: None,
    }
}
