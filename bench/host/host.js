// Mounts the page under test the way a dashboard would: the app through its embed.js, or the
// plain-JavaScript baseline through the same kind of entry, with the same token source.
const assets = document.querySelector('meta[name="services-list-assets"]').content;
const root = document.getElementById("services-root");
const plain = location.pathname.startsWith("/dashboard/plain");

async function getToken() {
  const response = await fetch("/api/demo/users", { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`no demo users (${response.status}); start the server with --demo`);
  }
  const { items } = await response.json();
  return items.find((u) => u.name === "Ada Morgan").token;
}

if (plain) {
  const [{ mountPlainList }, { STYLES }] = await Promise.all([import("./plain.js"), import("./styles.js")]);
  await mountPlainList(root, { getToken, basePath: "/dashboard/plain", styles: STYLES.map((s) => assets + s) });
} else {
  const { mountServicesList } = await import(`${assets}embed.js`);
  await mountServicesList(root, { getToken, basePath: "/dashboard/services" });
}
