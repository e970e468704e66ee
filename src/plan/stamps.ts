/** Values a stamp template may use: {rule} {runId} {date} {oldOwner} {newOwner}. */
export interface StampValues {
  rule: string;
  runId: string;
  date: string;
  oldOwner: string;
  newOwner: string;
}

export function renderStamps(templates: Record<string, string>, values: StampValues): Record<string, string> {
  const stamps: Record<string, string> = {};
  for (const [field, template] of Object.entries(templates)) {
    stamps[field] = template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? values[name as keyof StampValues] : whole,
    );
  }
  return stamps;
}
