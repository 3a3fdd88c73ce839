//! Demo daily work: 3–6 activities over each deal's life (the last one
//! recent for most open deals, weeks old for some, so a few are stale), and
//! a follow-up task on about a third of the open deals, some overdue.
//! Seeded on its own, so the org, plan and CRM stay as they were.

use crate::i18n::Lang;
use crate::model::*;
use crate::sort::Arrange;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const OUTCOMES: &[(&str, &str)] = &[
    ("客户确认了需求范围", "Customer confirmed the scope"),
    ("演示了设备加工样件", "Demonstrated a machined sample"),
    ("讨论了交期和付款方式", "Discussed lead time and payment terms"),
    ("对方要求更新报价", "They asked for an updated quote"),
    ("技术负责人参与评估", "Their engineering lead joined the evaluation"),
    ("了解了竞品情况", "Learned about the competing offer"),
];

const NEXT_STEPS: &[(&str, &str)] = &[
    ("发送更新报价", "Send the updated quote"),
    ("安排工厂参观", "Arrange a factory visit"),
    ("确认技术方案", "Confirm the technical proposal"),
    ("跟进采购审批", "Follow up on the purchase approval"),
    ("约见总经理", "Meet the general manager"),
];

/// Adds the activity history and open tasks of the demo's deals.
pub(super) fn add_work(ws: &mut Workspace, seed: u64, now: DateTime<Utc>, lang: Lang) {
    let today = now.date_naive();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xac71_0175);
    let id = |rng: &mut ChaCha8Rng| {
        let mut b = [0u8; 16];
        rng.fill(&mut b);
        Id::from_random_bytes(b)
    };
    let text = |t: (&str, &str)| lang.pick(t.0, t.1).to_string();
    let open: std::collections::HashSet<Id> = ws.stages.values().filter(|s| s.outcome == Outcome::Open).map(|s| s.id).collect();
    let deals: Vec<(Id, Id, Id, NaiveDate, NaiveDate, bool)> = ws
        .opportunities
        .values()
        .map(|o| (o.id, o.customer, o.owner, o.created, o.closed.unwrap_or(today).min(today), open.contains(&o.stage)))
        .collect();
    for (deal, customer, owner, created, end, is_open) in deals {
        if created > today {
            continue;
        }
        let n = rng.random_range(3..=6);
        let span = (end - created).num_days().max(0);
        // Most open deals were worked on lately; one in six has been left
        // alone for 5–12 weeks.
        let left_alone = is_open && rng.random_range(0..6) == 0;
        let last = if !is_open {
            end
        } else if left_alone {
            today - Duration::days(rng.random_range(35..85))
        } else {
            today - Duration::days(rng.random_range(0..15))
        };
        let last = last.max(created);
        let mut days: Vec<NaiveDate> =
            (0..n - 1).map(|_| created + Duration::days(rng.random_range(0..=span.min((last - created).num_days()).max(0)))).collect();
        days.push(last);
        days.arrange();
        let mut last_activity = None;
        for (i, on) in days.into_iter().enumerate() {
            let kind = match rng.random_range(0..10) {
                0..=3 => ActivityKind::Call,
                4..=5 => ActivityKind::Visit,
                6..=7 => ActivityKind::Meeting,
                8 => ActivityKind::Email,
                _ => ActivityKind::Note,
            };
            let a = Activity {
                id: id(&mut rng),
                rev: 1,
                updated_at: now,
                kind,
                customer,
                opportunity: Some(deal),
                by: owner,
                on,
                minutes: match kind {
                    ActivityKind::Call => rng.random_range(1..=6) * 5,
                    ActivityKind::Visit | ActivityKind::Meeting => rng.random_range(2..=8) * 15,
                    _ => 0,
                },
                outcome: if rng.random_bool(0.5) { text(OUTCOMES[rng.random_range(0..OUTCOMES.len())]) } else { String::new() },
                next_step: if i + 1 == n && is_open { text(NEXT_STEPS[rng.random_range(0..NEXT_STEPS.len())]) } else { String::new() },
            };
            last_activity = Some((a.id, a.on, a.next_step.clone()));
            ws.activities.insert(a.id, a);
        }
        // The last next step of a third of the open deals is a task: due
        // from five days ago (overdue) to two weeks ahead.
        if let Some((activity, on, step)) = last_activity.filter(|_| is_open && !left_alone && rng.random_range(0..3) == 0) {
            let due = (today + Duration::days(rng.random_range(-5..15))).max(on);
            let t = Task {
                id: id(&mut rng),
                rev: 1,
                updated_at: now,
                title: step,
                assignee: owner,
                due,
                priority: [Priority::High, Priority::Normal, Priority::Normal, Priority::Low][rng.random_range(0..4)],
                customer: Some(customer),
                opportunity: Some(deal),
                activity: Some(activity),
                created: on,
                by: Some(owner),
                done: None,
                notes: String::new(),
            };
            ws.tasks.insert(t.id, t);
        }
    }
}
