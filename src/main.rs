fn main() {
    sales_tiers::run();
}
