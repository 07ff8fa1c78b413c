#define LIMIT 10

struct greeter {
    int count;
};

static int format_name(const char *name) {
    return name[0];
}

int greet(struct greeter *g, const char *name) {
    return format_name(name);
}
