// Placeholder route until this part is built.
export default function DesignerApp() {
  return <div>designer</div>;
}
