namespace demo {

class Greeter {
 public:
  int greet(const char *name);
};

int format_name(const char *name) {
  return name[0];
}

int Greeter::greet(const char *name) {
  return format_name(name);
}

}  // namespace demo
