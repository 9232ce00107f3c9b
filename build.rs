// stylers collects every `style!` block under src/ into one scoped stylesheet; trunk's post-build
// hook copies it into dist/ (see Trunk.toml).
fn main() {
    stylers::build(Some(String::from("./target/stylers.css")));
}
