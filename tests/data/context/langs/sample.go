package sample

type Named interface {
	Name() string
}

type Greeter struct {
	prefix string
}

func (g Greeter) Greet(name string) string {
	return formatName(name)
}

func formatName(name string) string {
	return name
}
