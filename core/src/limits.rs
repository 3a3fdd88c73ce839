//! Hard limits on what a workspace may hold. They protect the browser
//! (localStorage holds about 5 MB per origin) and catch absurd input early.
//! The README documents them; change both together.

/// Largest file accepted by import or `sales-tiers validate`.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
pub const MAX_PEOPLE: usize = 100_000;
pub const MAX_UNITS: usize = 20_000;
pub const MAX_TIERS: usize = 12;
pub const MAX_DUTIES_PER_TIER: usize = 30;
/// Names of people, units, tiers, workspace; titles.
pub const MAX_NAME_CHARS: usize = 120;
/// Duties, e-mail, phone.
pub const MAX_SHORT_TEXT_CHARS: usize = 300;
/// Free-text notes.
pub const MAX_NOTE_CHARS: usize = 5_000;
/// Depth of the org tree (root = 1).
pub const MAX_DEPTH: usize = 12;
pub const MAX_SKILLS: usize = 30;
pub const MAX_GRADES_PER_TIER: usize = 10;
pub const MAX_RULES_PER_GRADE: usize = 10;
/// Entries kept in one person's history.
pub const MAX_HISTORY: usize = 500;
pub const MAX_CUSTOMERS: usize = 200_000;
pub const MAX_OPPORTUNITIES: usize = 500_000;
pub const MAX_STAGES: usize = 20;
pub const MAX_CONTACTS: usize = 50;
/// Stage changes kept per opportunity.
pub const MAX_STAGE_HISTORY: usize = 200;
/// Data rows read from one CSV import.
pub const MAX_CSV_ROWS: usize = 100_000;
/// KPIs on one scorecard template.
pub const MAX_KPIS_PER_CARD: usize = 12;
/// Manual KPIs in the library.
pub const MAX_CUSTOM_KPIS: usize = 50;
pub const MAX_KPI_ENTRIES: usize = 500_000;
/// Rating bands; also tiers of an incentive plan and bands of a curve.
pub const MAX_BANDS: usize = 10;
pub const MAX_PLAN_TIERS: usize = 20;
pub const MAX_PLANS: usize = 500;
pub const MAX_POOLS: usize = 50_000;
pub const MAX_SPIFS: usize = 500;
/// Known public keys (a few per person at most).
pub const MAX_KEYS: usize = 5_000;
/// Logged activities in a workspace (a few per deal).
pub const MAX_ACTIVITIES: usize = 2_000_000;
/// Tasks in a workspace, open and done.
pub const MAX_TASKS: usize = 500_000;
/// Longest stale-deal threshold, days.
pub const MAX_STALE_DAYS: u16 = 3_650;
/// Longest activity, minutes (a day).
pub const MAX_ACTIVITY_MINUTES: u32 = 1_440;
/// Highest activities goal a month on a scorecard line.
pub const MAX_ACTIVITY_GOAL: u32 = 10_000;
/// Highest commission or override rate, basis points (100 %).
pub const MAX_RATE_BP: u32 = 10_000;
/// Highest attainment bound or score anywhere, basis points (1,000 %).
pub const MAX_ATTAINMENT_BP: u32 = 100_000;
/// Largest member weight in a bonus pool.
pub const MAX_POOL_WEIGHT: u32 = 1_000;
/// Largest buffer a unit may keep above its own target (basis points, 1,000 %).
pub const MAX_BUFFER_BP: u32 = 100_000;
/// Largest cascade weight of a target line.
pub const MAX_TARGET_WEIGHT: u32 = 1_000_000;
/// Years a plan, a period or a date may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;
/// Budget categories and what-if scenarios a workspace may hold.
pub const MAX_CATEGORIES: usize = 30;
pub const MAX_SCENARIOS: usize = 20;
/// Planned-hire entries per headcount plan; people per entry; expected leavers.
pub const MAX_HIRE_ENTRIES: usize = 120;
pub const MAX_HIRES_PER_ENTRY: u32 = 10_000;
pub const MAX_ATTRITION: u32 = 100_000;

/// A year inside [`YEARS`].
pub fn year_ok(y: i32) -> bool {
    YEARS.contains(&y)
}

/// A date whose year is inside [`YEARS`].
pub fn date_ok(d: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    year_ok(d.year())
}

/// Capacity assumptions: expected attainment in whole percent (1 to this),
/// and a new rep's ramp of at most this many months, each 0–100 % of quota.
pub const MAX_EXPECTED_ATTAINMENT: u32 = 300;
pub const MAX_RAMP_MONTHS: usize = 24;
