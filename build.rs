// stylers collects every `style!` block under src/ into one scoped stylesheet; trunk's post-build
// hook copies it into dist/ (see Trunk.toml).
fn main() {
    // Only src/ feeds the stylesheet. Without this, any change under the package root (docs,
    // BENCHMARKS.md, bench/) would rerun the script and relink the release wasm.
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    stylers::build(Some(String::from("./target/stylers.css")));
}
