// Preloaded into the CLI (node --import) by the example tests: the clock reads FIXED_NOW plus the time
// since start, so date literals such as LAST_N_DAYS:30 and {date} stamps give the same plan on any day,
// while timeouts and rates still see time pass.
const fixed = Date.parse(process.env.FIXED_NOW ?? '');
if (Number.isNaN(fixed)) throw new Error(`FIXED_NOW is not an ISO date-time: ${process.env.FIXED_NOW}`);

const RealDate = Date;
const shift = fixed - RealDate.now();

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shift;
  }
}

globalThis.Date = ShiftedDate;
