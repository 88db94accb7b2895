//! The timeline for people: each phase's duration and the build's slowest steps, as an
//! aligned table with bars scaled to the width.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::model::Timeline;
use crate::report::style::{Look, Style};
use crate::report::wrap::clip;
use crate::screen::printable;

/// The widest a step's label is shown.
const STEP_COLUMNS: usize = 40;

/// Seconds as whole milliseconds (negative or not a number: none).
fn millis(secs: f64) -> u64 {
    std::time::Duration::try_from_secs_f64(secs).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A duration as people read one: `0.4s`, `14s`, `3m 02s`, `1h 05m`.
#[must_use]
pub fn duration_human(secs: f64) -> String {
    let ms = millis(secs);
    let (tenths, whole) = ((ms + 50) / 100, (ms + 500) / 1000);
    if tenths < 100 {
        format!("{}.{}s", tenths / 10, tenths % 10)
    } else if whole < 60 {
        format!("{whole}s")
    } else if whole < 3600 {
        format!("{}m {:02}s", whole / 60, whole % 60)
    } else {
        let minutes = (ms + 30_000) / 60_000;
        format!("{}h {:02}m", minutes / 60, minutes % 60)
    }
}

/// The table: one row per phase (and the time before the first), then the slowest steps.
#[must_use]
pub fn timeline_human(timeline: &Timeline, style: Style) -> String {
    let mut rows: Vec<(String, f64)> = Vec::new();
    if timeline.before_first_phase_secs >= 0.05 || timeline.phases.is_empty() {
        rows.push(("before any phase".to_owned(), timeline.before_first_phase_secs));
    }
    rows.extend(timeline.phases.iter().map(|p| (p.phase.to_string(), p.secs)));
    // A step's label gives way to the bar on a narrow terminal, down to a few columns.
    let room = STEP_COLUMNS.min(style.width.saturating_sub(2 + 2 + 7 + 2 + 4)).max(8);
    let steps: Vec<(String, f64)> = timeline.slowest_steps.iter().map(|s| (clip(&printable(&s.step), room), s.secs)).collect();
    let label = rows.iter().chain(&steps).map(|(l, _)| l.width()).max().unwrap_or(0);
    // Bars are in proportion to the longest row, or to a second when all are shorter: a
    // run that took no time shows no long bars.
    let longest = rows.iter().chain(&steps).map(|(_, secs)| millis(*secs)).max().unwrap_or(0).max(1000);
    // Two spaces, the label, two, the duration (at most 7), two, then the bar.
    let bar_room = style.width.saturating_sub(2 + label + 2 + 7 + 2).max(1);
    let row = |out: &mut String, (name, secs): &(String, f64)| {
        let ms = u128::from(millis(*secs));
        let blocks = (ms * bar_room as u128 + u128::from(longest) / 2) / u128::from(longest);
        let bar = "█".repeat(usize::try_from(blocks).unwrap_or(bar_room).max(usize::from(ms > 0)));
        let pad = label - name.width();
        let _ = writeln!(out, "  {name}{}  {:>7}  {}", " ".repeat(pad), duration_human(*secs), style.paint(Look::Muted, &bar));
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", style.paint(Look::Heading, "timeline"), duration_human(timeline.total_secs));
    for r in &rows {
        row(&mut out, r);
    }
    if !steps.is_empty() {
        let _ = writeln!(out, "{}", style.paint(Look::Heading, "slowest build steps"));
        for s in &steps {
            row(&mut out, s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Phase, TimelineBuilder};
    use std::time::Duration;

    #[test]
    fn a_run_that_took_no_time_has_no_long_bars() {
        let mut b = TimelineBuilder::default();
        b.phase(Phase::Build, Duration::from_millis(1));
        let text = timeline_human(&b.finish(Duration::from_millis(30)), Style::default());
        assert!(text.lines().all(|l| l.matches('█').count() <= 2), "{text}");
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration_human(0.42), "0.4s");
        assert_eq!(duration_human(14.4), "14s");
        assert_eq!(duration_human(182.0), "3m 02s");
        assert_eq!(duration_human(3900.0), "1h 05m");
        assert_eq!(duration_human(9.96), "10s");
        assert_eq!(duration_human(59.6), "1m 00s");
        assert_eq!(duration_human(-1.0), "0.0s");
    }

    #[test]
    fn bars_are_scaled_to_the_width_and_columns_align() {
        let mut b = TimelineBuilder::default();
        b.phase(Phase::Build, Duration::from_secs(1));
        b.step("[1/2] RUN apt-get update && apt-get install -y build-essential python3-dev".into(), Duration::from_secs(1));
        b.step("[2/2] COPY . .".into(), Duration::from_secs(100));
        b.phase(Phase::Upload, Duration::from_secs(101));
        let timeline = b.finish(Duration::from_secs(111));
        for width in [40, 60, 100] {
            let text = timeline_human(&timeline, Style { width, ..Style::default() });
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.iter().all(|l| l.width() <= width), "{text}");
            if width < 60 {
                continue;
            }
            // The longest row's bar reaches the width; the others are in proportion.
            let build = lines.iter().find(|l| l.trim_start().starts_with("build")).expect("a build row");
            assert_eq!(build.width(), width, "{text}");
            let upload = lines.iter().find(|l| l.trim_start().starts_with("upload")).expect("an upload row");
            let bar = |l: &str| l.matches('█').count();
            assert_eq!(bar(upload), (bar(build) + 5) / 10, "{text}");
            let columns: Vec<usize> =
                lines.iter().skip(1).filter(|l| l.starts_with("  ")).map(|l| l[..l.find('█').unwrap_or(0)].width()).collect();
            assert!(columns.windows(2).all(|w| w[0] == w[1]), "bars start in one column:\n{text}");
        }
        let expected = "timeline  1m 51s
  before any phase                             1.0s  █
  build                                      1m 40s  ███████████████████████████
  upload                                        10s  ███
slowest build steps
  [1/2] RUN apt-get update && apt-get ins…   1m 39s  ███████████████████████████
  [2/2] COPY . .                               1.0s  █
";
        assert_eq!(timeline_human(&timeline, Style::default()), expected);
    }
}
