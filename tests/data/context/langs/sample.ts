interface Named {
  name: string;
}

type Id = number;

class Greeter {
  greet(person: Named): string {
    return formatName(person.name);
  }
}

function formatName(name: string): string {
  return name.trim();
}
