//! Calendar arithmetic for the expiry times the vendors' credential services write in UTC
//! (`2015-04-09T11:52:19Z`, `2024-05-16T09:29:33.404000Z`): each provider parses its own format
//! and turns the fields into a time here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The time of a UTC date and clock, or `None` when a field is out of range or the date is
/// before 1970. `second` may be 60 (a leap second, read as the next second).
pub(crate) fn from_civil(
    [year, month, day]: [u64; 3],
    [hour, minute, second]: [u64; 3],
    nanos: u32,
) -> Option<SystemTime> {
    if year < 1970
        || !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || nanos >= 1_000_000_000
    {
        return None;
    }
    let seconds = days_since_epoch(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::new(seconds, nanos))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`), for years from 1970.
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(date: [u64; 3], clock: [u64; 3]) -> Option<u64> {
        from_civil(date, clock, 0).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_secs())
    }

    #[test]
    fn dates_are_counted_from_1970_with_leap_years() {
        assert_eq!(seconds([1970, 1, 1], [0, 0, 0]), Some(0));
        assert_eq!(seconds([2023, 10, 26], [10, 22, 32]), Some(1_698_315_752));
        assert_eq!(seconds([2000, 2, 29], [0, 0, 0]), Some(951_782_400));
        assert_eq!(seconds([2024, 12, 31], [23, 59, 60]), Some(1_735_689_600));
        for (date, clock) in [
            ([1969, 12, 31], [0, 0, 0]),
            ([1900, 2, 29], [0, 0, 0]),
            ([2023, 2, 29], [0, 0, 0]),
            ([2023, 13, 1], [0, 0, 0]),
            ([2023, 4, 31], [0, 0, 0]),
            ([2023, 1, 0], [0, 0, 0]),
            ([2023, 1, 1], [24, 0, 0]),
            ([2023, 1, 1], [0, 60, 0]),
        ] {
            assert_eq!(seconds(date, clock), None, "{date:?} {clock:?}");
        }
    }
}
