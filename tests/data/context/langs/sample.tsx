interface Props {
  label: string;
}

function Button(props: Props) {
  return <button>{formatLabel(props.label)}</button>;
}

function formatLabel(label: string): string {
  return label.toUpperCase();
}
