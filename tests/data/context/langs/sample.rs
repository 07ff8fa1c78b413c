pub trait Named {
    fn name(&self) -> String;
}

pub struct Greeter {
    prefix: String,
}

impl Greeter {
    pub fn greet(&self, name: &str) -> String {
        format_name(name)
    }
}

fn format_name(name: &str) -> String {
    name.to_string()
}
