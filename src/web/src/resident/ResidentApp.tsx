// Placeholder route until this part is built.
export default function ResidentApp() {
  return <div>resident</div>;
}
