//! Demo CRM data: customers per rep, key accounts at director tier, and
//! about 25 opportunities per rep spread over the stages and the months of
//! the current fiscal year, with a plausible stage history.

use crate::calendar::{fiscal_year_of, month_start};
use crate::i18n::Lang;
use crate::model::*;
use crate::sort::Arrange;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Deals generated per rep.
pub const DEALS_PER_REP: usize = 25;

const INDUSTRIES: &[(&str, &str)] = &[
    ("汽车零部件", "Automotive parts"),
    ("电子制造", "Electronics manufacturing"),
    ("航空航天", "Aerospace"),
    ("医疗器械", "Medical devices"),
    ("工程机械", "Construction machinery"),
    ("新能源", "New energy"),
    ("模具", "Tooling & moulds"),
    ("船舶", "Shipbuilding"),
];

const WORDS: &[(&str, &str)] = &[
    ("恒泰", "Hengtai"),
    ("宏达", "Hongda"),
    ("华信", "Huaxin"),
    ("金诚", "Jincheng"),
    ("中联", "Zhonglian"),
    ("永盛", "Yongsheng"),
    ("鼎力", "Dingli"),
    ("天工", "Tiangong"),
    ("精锐", "Jingrui"),
    ("博远", "Boyuan"),
    ("瑞丰", "Ruifeng"),
    ("新锐", "Xinrui"),
    ("远航", "Yuanhang"),
    ("正阳", "Zhengyang"),
    ("卓越", "Zhuoyue"),
    ("海川", "Haichuan"),
];

const SUFFIX: &[(&str, &str)] = &[
    ("精密制造有限公司", "Precision Manufacturing Co."),
    ("机械股份有限公司", "Machinery Co., Ltd."),
    ("科技有限公司", "Technology Co."),
    ("工业集团", "Industrial Group"),
    ("装备有限公司", "Equipment Co."),
];

const PRODUCTS: &[(&str, &str)] = &[
    ("五轴加工中心", "5-axis machining centre"),
    ("数控车床", "CNC lathe"),
    ("激光切割机", "Laser cutter"),
    ("磨床", "Grinding machine"),
    ("自动化产线改造", "Automation line upgrade"),
    ("备件与维保合同", "Spares & service contract"),
];

const LOSS_REASONS: &[(&str, &str)] = &[
    ("价格高于竞品", "Price above competitor"),
    ("预算取消", "Budget cancelled"),
    ("交期不满足", "Lead time not acceptable"),
    ("选择了竞品", "Chose a competitor"),
];

const ROLES: &[(&str, &str)] = &[("采购经理", "Purchasing manager"), ("生产总监", "Production director"), ("总经理", "General manager")];

struct Crm<'a> {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    lang: Lang,
    ws: &'a mut Workspace,
    stages: Vec<Stage>,
    names: std::collections::HashSet<String>,
}

impl Crm<'_> {
    fn id(&mut self) -> Id {
        let mut b = [0u8; 16];
        self.rng.fill(&mut b);
        Id::from_random_bytes(b)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.rng.random_range(0..xs.len())]
    }

    fn text(&self, t: (&str, &str)) -> String {
        self.lang.pick(t.0, t.1).to_string()
    }

    fn customer(&mut self, owner: Id, city: &str, segment: Segment, key: bool) -> Id {
        let id = self.id();
        // "上海恒泰精密制造有限公司"; on a clash, two words ("上海恒泰博远…").
        let mut name = String::new();
        for attempt in 0..40 {
            let (w, s) = (self.pick(WORDS), self.pick(SUFFIX));
            let w2 = if attempt >= 8 { Some(self.pick(WORDS)).filter(|x| *x != w) } else { None };
            let (zh2, en2) = w2.map(|x| (x.0, format!(" {}", x.1))).unwrap_or(("", String::new()));
            name = self.lang.pick(format!("{city}{}{zh2}{}", w.0, s.0), format!("{city} {}{en2} {}", w.1, s.1));
            if !self.names.contains(&name) {
                break;
            }
        }
        if !self.names.insert(name.clone()) {
            name = format!("{name} ({})", self.names.len());
            self.names.insert(name.clone());
        }
        let contacts = (0..self.rng.random_range(1..=2))
            .map(|_| {
                let role = self.pick(ROLES);
                let phone = format!("13{:09}", self.rng.random_range(0..1_000_000_000u64));
                let (zh, en) = super::SURNAMES[self.rng.random_range(0..super::SURNAMES.len())];
                let (mr_zh, mr_en) = if self.rng.random_bool(0.5) { ("先生", "Mr") } else { ("女士", "Ms") };
                let person = self.lang.pick(format!("{zh}{mr_zh}"), format!("{mr_en} {en}"));
                Contact { name: person, role: self.text(role), phone, email: String::new() }
            })
            .collect();
        let industry = self.pick(INDUSTRIES);
        let days = self.rng.random_range(200..2000);
        // About half are recent wins (the last nine months), decided by the id
        // so the random stream, and the rest of the demo, stay as they were.
        let b = id.0.as_bytes();
        let days = if b[1].is_multiple_of(2) { 5 + i64::from(b[2]) * 270 / 256 } else { days };
        let c = Customer {
            id,
            rev: 1,
            updated_at: self.now,
            name,
            industry: self.text(industry),
            region: city.to_string(),
            segment,
            owner: Some(owner),
            key_account: key,
            status: CustomerStatus::Active,
            notes: String::new(),
            created: self.now.date_naive() - Duration::days(days),
            contacts,
        };
        self.ws.customers.insert(id, c);
        id
    }

    /// One deal closing on `close` (won, lost or still open depending on the date).
    fn deal(&mut self, owner: Id, customer: Id, close: NaiveDate, amount: i64, win: f64) {
        let today = self.now.date_naive();
        let cycle = self.rng.random_range(30..120);
        let created = (close - Duration::days(cycle)).min(today - Duration::days(3));
        let open: Vec<Stage> = self.stages.iter().filter(|s| s.outcome == Outcome::Open).cloned().collect();
        let won = self.stages.iter().find(|s| s.outcome == Outcome::Won).cloned().expect("won stage");
        let lost = self.stages.iter().find(|s| s.outcome == Outcome::Lost).cloned().expect("lost stage");
        let product = self.pick(PRODUCTS);
        let mut path: Vec<&Stage> = Vec::new();
        // Some deals slip: their close date has passed and they are still open.
        let slipped = close < today && (today - close).num_days() <= 45 && self.rng.random_bool(0.12);
        let (last, closed) = if close < today && !slipped {
            if self.rng.random_bool(win) {
                path.extend(open.iter());
                (&won, Some(close))
            } else {
                let k = self.rng.random_range(1..=open.len());
                path.extend(open[..k].iter());
                (&lost, Some(close))
            }
        } else {
            // Deals closing soon are further along.
            let days_left = (close - today).num_days().max(0);
            let n = open.len();
            let k = match days_left {
                0..=30 => n - self.rng.random_range(0..2),
                31..=75 => n - self.rng.random_range(1..3),
                _ => self.rng.random_range(1..3),
            };
            let k = k.clamp(1, n);
            path.extend(open[..k - 1].iter());
            (&open[k - 1], None)
        };
        path.push(last);
        // Stage changes spread evenly between creation and the last move.
        let end = closed.unwrap_or(today).max(created);
        let span = (end - created).num_days().max(1);
        let steps = path.len() as i64;
        let history: Vec<StageChange> = path
            .iter()
            .enumerate()
            .map(|(i, s)| StageChange {
                on: if i == 0 { created } else { created + Duration::days(span * i as i64 / (steps - 1).max(1)) },
                from: (i > 0).then(|| path[i - 1].id),
                to: s.id,
                by: None,
            })
            .collect();
        let mut category = last.category;
        if last.outcome == Outcome::Open && last.category == ForecastCategory::BestCase && self.rng.random_bool(0.3) {
            category = ForecastCategory::Commit;
        }
        let loss = self.pick(LOSS_REASONS);
        let id = self.id();
        let name = self.lang.pick(format!("{}采购", product.0), format!("{} purchase", product.1));
        let o = Opportunity {
            id,
            rev: 1,
            updated_at: self.now,
            name,
            customer,
            owner,
            amount: Money(amount),
            close_date: close,
            stage: last.id,
            probability: last.probability,
            category,
            notes: String::new(),
            created,
            closed,
            loss_reason: if last.outcome == Outcome::Lost { self.text(loss) } else { String::new() },
            // 25–44 % gross margin, from the id so the random stream (and the rest of the demo) is unchanged.
            margin: Some(Money(amount * (25 + i64::from(id.0.as_bytes()[0] % 20)) / 100)),
            history,
            changes: Vec::new(),
        };
        self.ws.opportunities.insert(id, o);
    }
}

/// Adds customers and opportunities to a generated org (seeded separately
/// from the org, so the org stays the same with or without CRM data).
pub(super) fn add_crm(ws: &mut Workspace, seed: u64, now: DateTime<Utc>, lang: Lang) {
    let today = now.date_naive();
    let start_month = ws.settings.fiscal_year_start_month;
    let year = fiscal_year_of(today, start_month);
    let fy_start = month_start(year, start_month, 0);
    let fy_days = (month_start(year + 1, start_month, 0) - fy_start).num_days();
    let stages = ws.stages_in_order().into_iter().cloned().collect();
    let tiers: Vec<Id> = ws.tiers_in_order().iter().map(|t| t.id).collect();
    let (Some(top), Some(bottom)) = (tiers.first().copied(), tiers.last().copied()) else { return };
    let mut people: Vec<(Id, Id, Id)> = ws.people.values().filter(|p| p.status != Status::Left).map(|p| (p.id, p.tier, p.unit)).collect();
    people.arrange();
    let city_of = |ws: &Workspace, unit: Id| -> String {
        let n = &ws.units[&unit].name;
        let s = n.get(lang).to_string();
        s.trim_end_matches("销售组").trim_end_matches(" Team").split(' ').next().unwrap_or("").to_string()
    };
    let mut g = Crm { rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_c0de), now, lang, ws, stages, names: Default::default() };
    for (pid, tier, unit) in people {
        if tier == top {
            // Key accounts sit with the director: fewer, larger deals.
            for _ in 0..6 {
                let c = g.customer(pid, lang.pick("全国", "National"), Segment::Strategic, true);
                for _ in 0..2 {
                    let close = fy_start + Duration::days(g.rng.random_range(0..fy_days));
                    let amount = Money::from_units(g.rng.random_range(800..3_000) * 1_000).0;
                    g.deal(pid, c, close, amount, 0.6);
                }
            }
            continue;
        }
        if tier != bottom {
            continue;
        }
        let city = city_of(g.ws, unit);
        let skill: f64 = g.rng.random_range(0.75..1.25);
        // Deal sizes follow the rep's quota (regions have different targets).
        let quota = g.ws.plan.target(pid, TargetKind::Revenue, year).map(|l| l.total()).unwrap_or(0);
        let scale = if quota > 0 { quota as f64 / Money::from_units(2_100_000).0 as f64 } else { 1.0 };
        let customers: Vec<Id> = (0..g.rng.random_range(5..=8))
            .map(|_| {
                let seg = if g.rng.random_bool(0.25) { Segment::Large } else { g.pick(&[Segment::Small, Segment::Medium]) };
                g.customer(pid, &city, seg, false)
            })
            .collect();
        for _ in 0..DEALS_PER_REP {
            let c = customers[g.rng.random_range(0..customers.len())];
            // Mostly this fiscal year, some already lined up for the next one.
            let close = fy_start + Duration::days(g.rng.random_range(0..fy_days + 120));
            // ¥70k–¥430k × quota scale, in whole thousands.
            let amount = Money::from_units((g.rng.random_range(70..430) as f64 * skill.sqrt() * scale) as i64 * 1_000).0;
            g.deal(pid, c, close, amount, (0.42 * skill).min(0.9));
        }
    }
}
