//! UTC timestamps for the signing headers, computed from [`SystemTime`] with civil-from-days
//! arithmetic so that no date crate is needed for two fixed formats.

use std::time::{SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: u64 = 86_400;

/// "YYYY-MM-DDTHH:MM:SSZ" in UTC (x-acs-date). Times before 1970 are not expected; they are
/// clamped to the epoch.
pub fn acs3_date(t: SystemTime) -> String {
    UtcDateTime::from_system_time(t).format("-", ":")
}

/// "YYYY-MM-DDTHH:MM:SSZ" in UTC, the `Timestamp` of the RPC common parameters
/// ([`rpc_common`](crate::rpc_common)): the same form as x-acs-date.
pub fn rpc_timestamp(t: SystemTime) -> String {
    acs3_date(t)
}

/// "YYYYMMDDTHHMMSSZ" in UTC (X-Sdk-Date). Times before 1970 are clamped to the epoch.
pub fn sdk_date(t: SystemTime) -> String {
    UtcDateTime::from_system_time(t).format("", "")
}

struct UtcDateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u64,
    minute: u64,
    second: u64,
}

impl UtcDateTime {
    fn from_system_time(t: SystemTime) -> Self {
        // Before the epoch `duration_since` errs: clamp rather than panic.
        let seconds = t
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let seconds_of_day = seconds % SECONDS_PER_DAY;
        // u64 seconds / 86 400 is below 2^48, so the day count fits an i64 with room to spare.
        let days = (seconds / SECONDS_PER_DAY) as i64;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: seconds_of_day / 3_600,
            minute: seconds_of_day % 3_600 / 60,
            second: seconds_of_day % 60,
        }
    }

    /// `Y{d}M{d}DTh{t}m{t}sZ`, the two formats differing only in their separators. Digits are
    /// pushed by hand: this runs on every signed request, and `fmt` costs several times more.
    fn format(&self, date_separator: &str, time_separator: &str) -> String {
        let mut formatted = String::with_capacity(20);
        if (0..=9999).contains(&self.year) {
            push_digits(&mut formatted, self.year as u64, 4);
        } else {
            // Beyond year 9999 (never in practice): as many digits as it takes.
            formatted.push_str(&self.year.to_string());
        }
        for (separator, value) in [
            (date_separator, u64::from(self.month)),
            (date_separator, u64::from(self.day)),
        ] {
            formatted.push_str(separator);
            push_digits(&mut formatted, value, 2);
        }
        formatted.push('T');
        push_digits(&mut formatted, self.hour, 2);
        for value in [self.minute, self.second] {
            formatted.push_str(time_separator);
            push_digits(&mut formatted, value, 2);
        }
        formatted.push('Z');
        formatted
    }
}

/// Appends `value` as exactly `width` decimal digits (zero-padded; `value` fits).
fn push_digits(out: &mut String, value: u64, width: u32) {
    for position in (0..width).rev() {
        let digit = (value / 10u64.pow(position) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
}

/// The proleptic Gregorian (year, month, day) of `days` since 1970-01-01, after Howard Hinnant's
/// `civil_from_days`: shift to eras of 400 years starting on 0000-03-01, so that the leap day is the
/// last day of each computed year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097); // days per 400 years
    let day_of_era = shifted.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let month_from_march = (5 * day_of_year + 2) / 153; // [0, 11], 0 = March
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32; // [1, 31]
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
