/** The shell: a top bar with the sections, and the page the URL names. */
import { Empty } from "./components/status";
import { ComparePage } from "./pages/compare-page";
import { ExperimentsPage } from "./pages/experiments-page";
import { MonitoringPage } from "./pages/monitoring-page";
import { RegistryPage } from "./pages/registry-page";
import { RunsTablePage } from "./pages/runs-table-page";
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
    case "models":
      return <RegistryPage location={location} />;
    case "monitoring":
      return <MonitoringPage location={location} />;
    case "compare":
      return <ComparePage location={location} />;
    case "runs":
      return <RunsTablePage location={location} experimentIds={(location.query.get("experiments") ?? "").split(",").filter(Boolean)} base={["runs"]} />;
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
