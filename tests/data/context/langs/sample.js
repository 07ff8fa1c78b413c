const LIMIT = 10;

class Greeter {
  greet(name) {
    return formatName(name);
  }
}

function formatName(name) {
  return name.trim();
}

const shout = (text) => formatName(text).toUpperCase();
