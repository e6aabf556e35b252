/** Says once, at the start of a run, which backend tests will be skipped on this machine and why. */
export default function setup(): void {
  if (!process.env.KEEL_TEST_POSTGRES_URL) {
    process.stdout.write("note: KEEL_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped (.ci/run sets it)\n");
  }
}
