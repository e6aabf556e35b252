/** The Model Registry section: `#/models` lists the models, `#/models/<name>` shows one. */
import type { Location } from "../router";
import { RegistryModelPage } from "./registry-model-page";
import { RegistryModelsPage } from "./registry-models-page";

export function RegistryPage({ location }: { location: Location }) {
  const name = location.segments[1];
  return name === undefined ? <RegistryModelsPage location={location} /> : <RegistryModelPage key={name} name={name} />;
}
