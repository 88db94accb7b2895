//! Links the addon against the symbols Node.js provides at load time.

fn main() {
    napi_build::setup();
}
