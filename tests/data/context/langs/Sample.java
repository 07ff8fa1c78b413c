interface Named {
    String name();
}

class Greeter {
    String greet(String name) {
        return formatName(name);
    }

    static String formatName(String name) {
        return name.trim();
    }
}
