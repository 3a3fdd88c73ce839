//! The unit tree as pages list it: from the unit "view as" starts at (or
//! the whole organisation) down, in tree order, each name indented by its
//! depth below that top.

use sales_tiers_core::engine::org::subtree_with_depth;
use sales_tiers_core::{Id, Workspace};

/// `top` and every unit below it in tree order, each with its depth below
/// `top` (0 for `top` itself).
pub fn tree_rows(w: &Workspace, top: Id) -> Vec<(Id, usize)> {
    subtree_with_depth(w, top)
}

/// The style that indents a name `depth` levels down the tree.
pub fn indent(depth: usize) -> String {
    format!("padding-left: {}rem", depth as f32 * 1.1)
}
