//! Deterministic demo workspace: a machinery manufacturer's sales force.
//!
//! With the default size (77 people) it is 1 director, 4 regional managers,
//! 12 team leads and 60 reps. Larger sizes add regions of 3 teams × (1 lead +
//! 5 reps) until the head count is reached, for benchmarks. The same seed
//! and date always give the same document, ids included.

use crate::i18n::Lang;
use crate::model::derived_id;
use crate::model::*;
use crate::sort::{Arrange, Gather};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

mod crm;
pub mod perf;
mod work;
pub use crm::DEALS_PER_REP;

pub const DEFAULT_PEOPLE: usize = 77;
pub const DEFAULT_SEED: u64 = 2026;

#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub people: usize,
    pub seed: u64,
    /// "Now" for timestamps and hire dates.
    pub now: DateTime<Utc>,
    pub lang: Lang,
    /// Customers and about 25 deals per rep (pillar 4).
    pub crm: bool,
    /// The deals' logged activities and open tasks (daily work). Without
    /// them a 1,000-person workspace fits a browser's storage; with a
    /// year of them (~88,000) it does not.
    pub activities: bool,
}

impl DemoOptions {
    pub fn new(now: DateTime<Utc>) -> DemoOptions {
        DemoOptions { people: DEFAULT_PEOPLE, seed: DEFAULT_SEED, now, lang: Lang::Zh, crm: true, activities: true }
    }
}

const SURNAMES: &[(&str, &str)] = &[
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("罗", "Luo"),
    ("郑", "Zheng"),
    ("梁", "Liang"),
    ("谢", "Xie"),
    ("宋", "Song"),
    ("唐", "Tang"),
    ("许", "Xu"),
    ("韩", "Han"),
    ("冯", "Feng"),
    ("邓", "Deng"),
    ("曹", "Cao"),
    ("彭", "Peng"),
    ("曾", "Zeng"),
    ("肖", "Xiao"),
    ("田", "Tian"),
    ("董", "Dong"),
];

const GIVEN: &[(&str, &str)] = &[
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("磊", "Lei"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("军", "Jun"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("志强", "Zhiqiang"),
    ("晓东", "Xiaodong"),
    ("海燕", "Haiyan"),
    ("建国", "Jianguo"),
    ("丽华", "Lihua"),
    ("俊杰", "Junjie"),
    ("雪梅", "Xuemei"),
    ("浩然", "Haoran"),
    ("思远", "Siyuan"),
    ("佳怡", "Jiayi"),
    ("子涵", "Zihan"),
    ("宇轩", "Yuxuan"),
    ("欣怡", "Xinyi"),
    ("文博", "Wenbo"),
    ("梓萱", "Zixuan"),
    ("鹏", "Peng"),
    ("婷", "Ting"),
    ("斌", "Bin"),
    ("倩", "Qian"),
    ("凯", "Kai"),
    ("琳", "Lin"),
];

/// (zh, en) of a name.
type Names = (&'static str, &'static str);

/// Regions with their three teams' cities.
const REGIONS: &[(&str, &str, [Names; 3])] = &[
    ("华东大区", "East China", [("上海", "Shanghai"), ("杭州", "Hangzhou"), ("南京", "Nanjing")]),
    ("华南大区", "South China", [("广州", "Guangzhou"), ("深圳", "Shenzhen"), ("厦门", "Xiamen")]),
    ("华北大区", "North China", [("北京", "Beijing"), ("天津", "Tianjin"), ("济南", "Jinan")]),
    ("西部大区", "West China", [("成都", "Chengdu"), ("重庆", "Chongqing"), ("西安", "Xi'an")]),
    ("华中大区", "Central China", [("武汉", "Wuhan"), ("长沙", "Changsha"), ("郑州", "Zhengzhou")]),
    ("东北大区", "Northeast China", [("沈阳", "Shenyang"), ("大连", "Dalian"), ("哈尔滨", "Harbin")]),
];

/// The default four tiers with their duties, from the design.
pub fn default_tiers() -> Vec<(Text, Vec<Text>)> {
    vec![
        (
            Text::new("销售总监", "Sales director"),
            vec![
                Text::new("制定销售战略", "Set the sales strategy"),
                Text::new("设定公司整体销售目标", "Set company-wide targets"),
                Text::new("管理整体销售预算", "Own the overall sales budget"),
                Text::new("维护重点客户关系", "Manage key accounts"),
                Text::new("协调跨部门合作", "Coordinate across departments"),
            ],
        ),
        (
            Text::new("区域经理", "Regional manager"),
            vec![
                Text::new("将公司战略转化为区域计划", "Turn strategy into a regional plan"),
                Text::new("制定区域销售目标", "Set regional targets"),
                Text::new("在团队间分配预算与人员", "Split budget and people across teams"),
                Text::new("收集并反馈市场信息", "Feed market information back"),
            ],
        ),
        (
            Text::new("团队主管", "Team lead"),
            vec![
                Text::new("管理销售代表的日常工作", "Run reps day to day"),
                Text::new("分配并跟进具体销售任务", "Assign and follow up sales tasks"),
                Text::new("辅导销售代表提升技能", "Coach reps"),
            ],
        ),
        (
            Text::new("销售代表", "Sales rep"),
            vec![
                Text::new("开发与维护客户", "Win and keep customers"),
                Text::new("推进销售商机", "Advance opportunities"),
                Text::new("完成个人销售指标", "Meet own quota"),
            ],
        ),
    ]
}

struct Gen {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    ws: Workspace,
    used_names: BTreeMap<String, usize>,
    /// E-mails handed out: 徐浩然 and 许浩然 are both "Xu Haoran" in English.
    used_emails: std::collections::HashSet<String>,
}

impl Gen {
    fn id(&mut self) -> Id {
        let mut b = [0u8; 16];
        self.rng.fill(&mut b);
        Id::from_random_bytes(b)
    }

    /// A name no one else has, in either language (徐浩然 and 许浩然 are
    /// both "Xu Haoran"): a surname and a given name, redrawn when taken,
    /// then a two-character given name; a number only when even those run
    /// out (tens of thousands of people).
    fn name(&mut self) -> Text {
        let pick = |rng: &mut ChaCha8Rng, two: bool| {
            let (s_zh, s_en) = SURNAMES[rng.random_range(0..SURNAMES.len())];
            let (g_zh, g_en) = GIVEN[rng.random_range(0..GIVEN.len())];
            if two {
                let (h_zh, h_en) = GIVEN[rng.random_range(0..GIVEN.len())];
                (format!("{s_zh}{g_zh}{h_zh}"), format!("{s_en} {g_en}{}", h_en.to_lowercase()))
            } else {
                (format!("{s_zh}{g_zh}"), format!("{s_en} {g_en}"))
            }
        };
        for attempt in 0..60 {
            let (zh, en) = pick(&mut self.rng, attempt >= 20);
            if !self.used_names.contains_key(&zh) && !self.used_names.contains_key(&en) {
                self.used_names.insert(zh.clone(), 1);
                self.used_names.insert(en.clone(), 1);
                return Text::new(zh, en);
            }
        }
        let (zh, en) = pick(&mut self.rng, true);
        let n = self.used_names.entry(zh.clone()).or_insert(1);
        *n += 1;
        Text::new(format!("{zh}{n}"), format!("{en} {n}"))
    }

    fn hire_date(&mut self, min_years: i64, max_years: i64) -> NaiveDate {
        let days = self.rng.random_range(min_years * 365..=max_years * 365);
        (self.now - Duration::days(days)).date_naive()
    }

    fn unit(&mut self, name: Text, parent: Option<Id>, order: u32) -> Id {
        let id = self.id();
        self.ws.units.insert(id, Unit { id, rev: 1, updated_at: self.now, name, parent, manager: None, order });
        id
    }

    fn person(&mut self, unit: Id, tier: Id, title: Text, years: (i64, i64), manager: bool) -> Id {
        let id = self.id();
        let name = self.name();
        let hire = self.hire_date(years.0, years.1);
        let local = name.en.to_lowercase().replace([' ', '\''], ".");
        let mut email = format!("{local}@demo-machinery.cn");
        let mut n = 2;
        while !self.used_emails.insert(email.clone()) {
            email = format!("{local}{n}@demo-machinery.cn");
            n += 1;
        }
        let phone = format!("13{:01}{:08}", self.rng.random_range(0..10), self.rng.random_range(0..100_000_000u32));
        let status = if !manager && self.rng.random_range(0..40) == 0 { Status::OnLeave } else { Status::Active };
        self.ws.people.insert(
            id,
            Person {
                id,
                rev: 1,
                updated_at: self.now,
                name,
                title,
                tier,
                unit,
                email,
                phone,
                hire_date: Some(hire),
                status,
                notes: String::new(),
                skills: BTreeMap::new(),
                grade: None,
                history: Vec::new(),
            },
        );
        if manager {
            self.ws.units.get_mut(&unit).expect("unit").manager = Some(id);
        }
        id
    }
}

/// The names the app gives a workspace, (zh, en): the demo's and a new
/// empty one's.
const DEMO_NAME: (&str, &str) = ("演示：华东精工机械", "Demo: Huadong Precision Machinery");
const STARTER_NAME: (&str, &str) = ("我的销售组织", "My sales organisation");

/// A workspace's name as shown in `lang`: a name the app gave it (the
/// demo's, a new workspace's) follows the language shown; a name someone
/// typed is shown as typed.
pub fn workspace_title(name: &str, lang: Lang) -> String {
    [DEMO_NAME, STARTER_NAME]
        .into_iter()
        .find(|(zh, en)| name == *zh || name == *en)
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Generates the demo workspace.
pub fn generate(opts: &DemoOptions) -> Workspace {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(opts.seed),
        now: opts.now,
        ws: Workspace::empty(Id(uuid::Uuid::nil()), "", opts.lang, opts.now),
        used_names: BTreeMap::new(),
        used_emails: Default::default(),
    };
    g.ws.meta.id = g.id();
    g.ws.meta.demo = true;
    g.ws.settings.workspace_name = opts.lang.pick(DEMO_NAME.0, DEMO_NAME.1).to_string();
    g.ws.settings.fiscal_year_start_month = 1;

    let mut ws = std::mem::replace(&mut g.ws, Workspace::empty(Id(uuid::Uuid::nil()), "", opts.lang, opts.now));
    install_defaults(&mut ws, opts.now, || g.id());
    g.ws = ws;
    let tier_ids: Vec<Id> = g.ws.tiers_in_order().iter().map(|t| t.id).collect();
    let titles: Vec<Text> = vec![
        Text::new("销售总监", "Sales Director"),
        Text::new("区域销售经理", "Regional Sales Manager"),
        Text::new("销售主管", "Sales Team Lead"),
        Text::new("销售代表", "Sales Representative"),
    ];

    let company = g.unit(Text::new("华东精工机械有限公司", "Huadong Precision Machinery Co., Ltd."), None, 0);
    g.person(company, tier_ids[0], titles[0].clone(), (8, 15), true);
    let mut remaining = opts.people.saturating_sub(1);
    let mut r = 0usize;
    while remaining > 0 {
        let (rz, re, cities) = REGIONS[r % REGIONS.len()];
        let round = r / REGIONS.len();
        let region_name =
            if round == 0 { Text::new(rz, re) } else { Text::new(format!("{rz}{}", round + 1), format!("{re} {}", round + 1)) };
        let region = g.unit(region_name, Some(company), r as u32);
        g.person(region, tier_ids[1], titles[1].clone(), (4, 12), true);
        remaining -= 1;
        for (t, (cz, ce)) in cities.iter().enumerate() {
            if remaining == 0 {
                break;
            }
            let team_name = if round == 0 {
                Text::new(format!("{cz}销售组"), format!("{ce} Team"))
            } else {
                Text::new(format!("{cz}销售{}组", round + 1), format!("{ce} Team {}", round + 1))
            };
            let team = g.unit(team_name, Some(region), t as u32);
            g.person(team, tier_ids[2], titles[2].clone(), (3, 9), true);
            remaining -= 1;
            for _ in 0..5 {
                if remaining == 0 {
                    break;
                }
                g.person(team, tier_ids[3], titles[3].clone(), (0, 6), false);
                remaining -= 1;
            }
        }
        r += 1;
    }
    // A realistic touch: one team lead post is vacant after a departure.
    if opts.people >= DEFAULT_PEOPLE {
        let mut teams: Vec<&Unit> = g.ws.units.values().filter(|u| u.name.en.ends_with("Xiamen Team")).collect();
        teams.arrange_by_key(|u| u.id);
        if let Some(team) = teams.first().map(|u| u.id) {
            if let Some(lead) = g.ws.units[&team].manager {
                let p = g.ws.people.get_mut(&lead).expect("lead");
                p.status = Status::Left;
                p.notes = "2026 年离职 / Left in 2026".to_string();
            }
        }
    }
    // Skill ratings: managers a little stronger on average.
    let skills: Vec<Id> = g.ws.skills_in_order().iter().map(|s| s.id).collect();
    let people: Vec<(Id, bool)> = g.ws.people.values().map(|p| (p.id, p.tier != tier_ids[3])).collect();
    for (pid, manager) in people {
        for s in &skills {
            let r: u8 = if manager { g.rng.random_range(3..=5) } else { g.rng.random_range(2..=5) };
            g.ws.people.get_mut(&pid).expect("person").skills.insert(*s, r);
        }
    }
    // Recorded grades: most managers hold the grade the rules give; about a
    // third are one grade behind, so the promotion list has candidates.
    let today = opts.now.date_naive();
    let assessed = crate::engine::grading::assess_all(&g.ws, &crate::engine::index::Index::new(&g.ws), today);
    for (pid, a) in assessed {
        let Some(computed) = a.grade else { continue };
        let pos = a.ladder.iter().position(|c| c.grade == computed).unwrap_or(0);
        let behind = pos > 0 && g.rng.random_range(0..3) == 0;
        let recorded = if behind { a.ladder[pos - 1].grade } else { computed };
        let p = g.ws.people.get_mut(&pid).expect("person");
        p.grade = Some(recorded);
        let hired = p.hire_date.map(|d| d.and_hms_opt(9, 0, 0).expect("time").and_utc()).unwrap_or(opts.now);
        p.history.push(HistoryEntry {
            at: hired.max(opts.now - Duration::days(400)),
            event: PersonEvent::Promoted { from: None, to: recorded },
            note: "年度评定 / Annual review".to_string(),
        });
    }
    add_plan(&mut g.ws, opts);
    if opts.crm {
        crm::add_crm(&mut g.ws, opts.seed, opts.now, opts.lang);
        if opts.activities {
            work::add_work(&mut g.ws, opts.seed, opts.now, opts.lang);
        }
    }
    perf::add_perf(&mut g.ws, opts.now, opts.lang);
    g.ws
}

/// A current-year plan so every planning view has something to show:
/// seasonal company targets cascaded down by weight, equally and by
/// capacity; budgets split ~88 % down each level; a CRM licence for
/// everyone; a few planned hires and expected leavers.
fn add_plan(ws: &mut Workspace, opts: &DemoOptions) {
    use crate::calendar::{fiscal_year_of, Period};
    use crate::engine::plan::{cascade, spread_in, Method, Spec};
    // Built directly rather than through edits: a generated document has no
    // history to undo, and at 10,000 people edits would copy the plan each time.
    let now = opts.now;
    let today = now.date_naive();
    let year = fiscal_year_of(today, ws.settings.fiscal_year_start_month);
    let root = ws.root().expect("root").id;
    let kids = crate::engine::org::children_map(ws);
    let regions: Vec<Id> = kids.get(&root).cloned().unwrap_or_default();
    let people_count = ws.people.len() as i64;
    let put = |ws: &mut Workspace, mut l: TargetLine| {
        l.rev = 1;
        l.updated_at = now;
        ws.plan.targets.insert(l.id, l);
    };
    // ¥2.1M of revenue per rep a year (a little under capacity), with a year-end peak.
    let bottom = ws.tiers_in_order().last().map(|t| t.id);
    let reps = ws.people.values().filter(|p| Some(p.tier) == bottom && p.status != Status::Left).count() as i64;
    let mut company = TargetLine::new(root, TargetKind::Revenue, year, now);
    company.months = [6, 7, 8, 8, 8, 9, 8, 8, 9, 9, 9, 12];
    spread_in(&mut company.months, Period::Year, Money::from_units(2_100_000).0 * reps.max(1), true);
    company.buffer_bp = 500;
    put(ws, company);
    let mut customers = TargetLine::new(root, TargetKind::NewCustomers, year, now);
    spread_in(&mut customers.months, Period::Year, people_count * 8, false);
    put(ws, customers);
    for (i, r) in regions.iter().enumerate() {
        let mut l = TargetLine::new(*r, TargetKind::Revenue, year, now);
        l.weight = match ws.units[r].name.en.as_str() {
            "East China" => 35,
            "South China" => 30,
            "North China" => 20,
            "West China" => 15,
            _ => 10 + (i as u32 % 7),
        };
        put(ws, l);
    }
    let large = ws.people.len() > 500;
    let split = |ws: &mut Workspace, unit: Id, kind: TargetKind, method: Method| {
        // A unit with nobody to split among (a last, partly filled team) keeps its target.
        let spec = Spec { unit, kind, year, period: Period::Year, method };
        for l in cascade(ws, &ws.plan, &spec, None).unwrap_or_default() {
            put(ws, l);
        }
    };
    split(ws, root, TargetKind::Revenue, Method::Weight);
    split(ws, root, TargetKind::NewCustomers, Method::Equal);
    for r in &regions {
        split(ws, *r, TargetKind::Revenue, Method::Equal);
        split(ws, *r, TargetKind::NewCustomers, Method::Equal);
        for t in kids.get(r).cloned().unwrap_or_default() {
            split(ws, t, TargetKind::Revenue, if large { Method::Equal } else { Method::Capacity });
            split(ws, t, TargetKind::NewCustomers, Method::Equal);
        }
    }
    // Budgets: the company's per head, then 22 % of it to each region (of four).
    let per_head =
        [("personnel", 360_000), ("marketing", 80_000), ("travel", 40_000), ("tools", 12_000), ("training", 10_000), ("other", 5_000)];
    for (key, per) in per_head {
        let cat = default_category_id(key);
        let total = Money::from_units(per * people_count);
        let share = Money(total.0 * 88 / 100 / regions.len().max(1) as i64 / 100 * 100);
        for (unit, amount) in std::iter::once((root, total)).chain(regions.iter().map(|r| (*r, share))) {
            let id = BudgetLine::id_for(unit, year, cat);
            ws.plan.budgets.insert(id, BudgetLine { id, rev: 1, updated_at: now, unit, year, category: cat, amount });
        }
    }
    // Tools: a CRM seat for everyone, a business-data service for managers.
    let current: Vec<(Id, bool)> =
        ws.people.values().filter(|p| p.status != Status::Left).map(|p| (p.id, ws.managed_unit(p.id).is_some())).collect();
    let crm = derived_id("demo-tool", &[b"crm"]);
    let data = derived_id("demo-tool", &[b"data"]);
    let seats = |managers_only: bool| current.iter().filter(|(_, m)| *m || !managers_only).map(|(p, _)| *p).gather_set();
    ws.tools.insert(
        crm,
        Tool {
            id: crm,
            rev: 1,
            updated_at: now,
            name: Text::new("纷享销客 CRM", "Fxiaoke CRM"),
            cost_per_seat: Money::from_units(3_600),
            seats: seats(false),
        },
    );
    ws.tools.insert(
        data,
        Tool {
            id: data,
            rev: 1,
            updated_at: now,
            name: Text::new("企查查企业版", "Qichacha Enterprise"),
            cost_per_seat: Money::from_units(6_800),
            seats: seats(true),
        },
    );
    // Headcount: a replacement lead in Xiamen, growth hires in East China, some attrition.
    for u in ws.units.values().map(|u| (u.id, u.name.en.clone())).collect::<Vec<_>>() {
        let (hires, attrition) = match u.1.as_str() {
            "Xiamen Team" => (vec![Hire { month: 2, count: 1 }], 0),
            "Shanghai Team" | "Hangzhou Team" => (vec![Hire { month: 4, count: 1 }], 1),
            "Chengdu Team" => (vec![], 1),
            _ => continue,
        };
        let id = HeadcountPlan::id_for(u.0, year);
        ws.plan.headcount.insert(id, HeadcountPlan { id, rev: 1, updated_at: now, unit: u.0, year, hires, attrition });
    }
}

/// Default skills people are rated on.
pub fn default_skills() -> Vec<Text> {
    vec![
        Text::new("客户开发", "Prospecting"),
        Text::new("商务谈判", "Negotiation"),
        Text::new("产品知识", "Product knowledge"),
        Text::new("团队辅导", "Coaching"),
    ]
}

/// Adds the default tiers, skills and grade ladders (for the three manager
/// tiers) to an empty workspace.
fn install_defaults(ws: &mut Workspace, now: DateTime<Utc>, mut new_id: impl FnMut() -> Id) {
    for (i, (name, duties)) in default_tiers().into_iter().enumerate() {
        let id = new_id();
        ws.tiers.insert(id, Tier { id, rev: 1, updated_at: now, name, order: i as u32, duties });
        if i < 3 {
            for (rank, (gname, rules)) in crate::engine::grading::default_ladder(i as u32).into_iter().enumerate() {
                let gid = new_id();
                ws.grades.insert(gid, Grade { id: gid, rev: 1, updated_at: now, tier: id, name: gname, rank: rank as u32, rules });
            }
        }
    }
    for (i, name) in default_skills().into_iter().enumerate() {
        let id = new_id();
        ws.skills.insert(id, Skill { id, rev: 1, updated_at: now, name, order: i as u32 });
    }
}

/// A new, empty workspace with the default tiers, skills and grades, the
/// seed scorecard per tier and an example incentive plan per tier (named as
/// a starting point), and no org yet: what "start empty" gives.
pub fn starter(id: Id, lang: Lang, now: DateTime<Utc>, new_id: impl FnMut() -> Id) -> Workspace {
    let mut ws = Workspace::empty(id, lang.pick(STARTER_NAME.0, STARTER_NAME.1), lang, now);
    install_defaults(&mut ws, now, new_id);
    perf::seed_perf(&mut ws, now, true);
    ws
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_name_follows_the_language_and_a_typed_one_stays() {
        let now = DateTime::UNIX_EPOCH;
        let zh = generate(&DemoOptions { lang: Lang::Zh, ..DemoOptions::new(now) });
        assert_eq!(workspace_title(&zh.settings.workspace_name, Lang::En), "Demo: Huadong Precision Machinery");
        assert_eq!(workspace_title(&zh.settings.workspace_name, Lang::Zh), zh.settings.workspace_name);
        let mut n = 1u8;
        let empty = starter(Id::from_random_bytes([1; 16]), Lang::En, now, move || {
            n += 1;
            Id::from_random_bytes([n; 16])
        });
        assert_eq!(workspace_title(&empty.settings.workspace_name, Lang::Zh), "我的销售组织");
        assert_eq!(workspace_title("华东区计划", Lang::En), "华东区计划");
        assert_eq!(workspace_title("My sales organisation 2", Lang::Zh), "My sales organisation 2");
    }
}
