// Placeholder route until this part is built.
export default function ConsoleApp() {
  return <div>console</div>;
}
