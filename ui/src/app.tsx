/** The shell: a top bar with the sections, and the page the URL names. */
import { Empty } from "./components/status";
import { ExperimentsPage } from "./pages/experiments-page";
import { href, useLocation } from "./router";

const SECTIONS = [
  { label: "Experiments", segment: "experiments" },
  { label: "Models", segment: "models" },
  { label: "Monitoring", segment: "monitoring" },
] as const;

function Page() {
  const location = useLocation();
  const [section = "experiments"] = location.segments;
  switch (section) {
    case "experiments":
      return <ExperimentsPage location={location} />;
    default:
      return <Empty>There is no page at #/{location.segments.join("/")}. Pick a section above.</Empty>;
  }
}

export function App() {
  const location = useLocation();
  const active = location.segments[0] ?? "experiments";
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={href(["experiments"])}>
          Keel
        </a>
        <nav>
          {SECTIONS.map((s) => (
            <a key={s.segment} href={href([s.segment])} className={active === s.segment ? "active" : ""}>
              {s.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page />
      </main>
    </div>
  );
}
