import { randomInt } from "node:crypto";

const ADJECTIVES = [
  "amber", "bold", "brisk", "calm", "clever", "crisp", "daring", "eager", "fancy", "gentle", "glad", "keen",
  "lively", "lucid", "mellow", "nimble", "polite", "proud", "quiet", "rapid", "sharp", "shy", "smooth", "steady",
  "sunny", "swift", "tidy", "vivid", "warm", "wise",
];
const NOUNS = [
  "badger", "bass", "crane", "deer", "eel", "falcon", "finch", "fox", "gull", "hare", "heron", "ibis", "jay",
  "koala", "lark", "lynx", "mole", "newt", "otter", "owl", "panda", "quail", "raven", "seal", "shrew", "stork",
  "swan", "trout", "wren", "yak",
];

/** A readable run name such as `swift-otter-417`, for runs created without one (MLflow does the same). */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
