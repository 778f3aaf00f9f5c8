/** The learning curve as a small standalone SVG: cost against iteration, with axes and labels. */
export function learningCurveSvg(costs: number[], recordEvery: number, title: string): string {
  const [w, h, left, bottom, top, right] = [640, 400, 70, 50, 40, 20];
  const maxCost = Math.max(...costs);
  const lastIteration = (costs.length - 1) * recordEvery || 1;
  const x = (i: number) => left + ((i * recordEvery) / lastIteration) * (w - left - right);
  const y = (c: number) => top + (1 - c / maxCost) * (h - top - bottom);
  const points = costs.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(" ");
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxCost);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round((f * lastIteration) / recordEvery) * recordEvery);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="white"/>
  <text x="${w / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>
  <line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="black"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="black"/>
  ${yTicks.map((c) => `<text x="${left - 8}" y="${y(c) + 4}" text-anchor="end">${c.toFixed(3)}</text><line x1="${left}" y1="${y(c)}" x2="${w - right}" y2="${y(c)}" stroke="#eee"/>`).join("\n  ")}
  ${xTicks.map((i) => `<text x="${x(i / recordEvery)}" y="${h - bottom + 18}" text-anchor="middle">${i}</text>`).join("\n  ")}
  <text x="${w / 2}" y="${h - 10}" text-anchor="middle">iterations</text>
  <text x="18" y="${h / 2}" text-anchor="middle" transform="rotate(-90 18 ${h / 2})">cost</text>
  <polyline points="${points}" fill="none" stroke="#1f77b4" stroke-width="2"/>
</svg>
`;
}
