//! The unit tree as pages list it (rows from
//! `sales_tiers_core::engine::org::subtree_with_depth`): each name indented
//! by its depth below the top.

/// The style that indents a name `depth` levels down the tree.
pub fn indent(depth: usize) -> String {
    format!("padding-left: {}rem", depth as f32 * 1.1)
}
