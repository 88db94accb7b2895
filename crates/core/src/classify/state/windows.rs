//! Lines examined late, from the window of recent output: a failed step's own output,
//! back to its marker, when its builder's summary arrives; and the last lines when the
//! output ends (the error that stopped the run is there). Each is examined in the phase
//! it was printed in, and once.

use super::{Analysis, Attribution, LOOKBACK_LINES};
use crate::classify::scanner::Window;
use crate::classify::terminal_text::readable_range;

impl Analysis<'_> {
    /// Examines the window's lines after `after` and before `before` that streaming
    /// skipped (they hold no streamed anchor), each in the phase it was printed in.
    pub(super) fn examine_window(&mut self, window: &Window<'_>, after: u64, before: u64, max: usize) {
        let mut bytes = Vec::new();
        let lines = window.lines(after, max, &mut bytes);
        let mut lower = Vec::new();
        let mut previous: Option<(u64, std::ops::Range<usize>)> = None;
        for (number, range) in lines {
            if number >= before || self.lookback.fully_examined(number) {
                previous = None;
                continue;
            }
            let raw = &bytes[range.clone()];
            let (from, to) = readable_range(raw);
            let text = &raw[from..to];
            lower.clear();
            lower.extend(text.iter().map(u8::to_ascii_lowercase));
            if !self.in_succeeded_build(number) {
                self.errors.see(number, text, &lower);
            }
            let saved = (self.current_line, self.attribution);
            self.current_line = number;
            self.attribution = Attribution::PrintedIn(self.timeline.phase_at(number));
            if !self.was_streamed(number) {
                self.examine(number, text, &lower, None);
            }
            if let Some((line, before)) = previous.take().filter(|(line, _)| line + 1 == number) {
                self.examine_joined(line, &bytes[before], text);
            }
            (self.current_line, self.attribution) = saved;
            previous = Some((number, range.start + from..range.start + to));
        }
        self.lookback.examined_until(before);
    }

    /// Before a build summary: the failed step's own output, back to its step marker.
    pub(super) fn look_back(&mut self, window: Option<&Window<'_>>, summary_line: u64) {
        let Some(window) = window else { return };
        let step_start = self.build.step.marker.as_ref().map_or(0, |m| m.line);
        let after = self.lookback.window_upto.max(step_start);
        self.examine_window(window, after, summary_line, LOOKBACK_LINES);
    }
}
