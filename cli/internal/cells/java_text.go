package cells

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// scalarText is a plain value as the JVM client's toString writes it.
func scalarText(value any) string {
	switch v := value.(type) {
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case Double:
		return javaFloat(float64(v), 64)
	case Float:
		return javaFloat(float64(v), 32)
	case Decimal:
		return v.String()
	case string:
		return v
	}
	return ""
}

// javaFloat writes a float as Java 19's Double.toString (bits 64) or Float.toString (bits 32) do, and
// the JVM client through Jackson's Schubfach writer on any Java: the shortest digits that read back as
// the same number; plain notation with at least one fractional digit from 10^-3 up to 10^7, otherwise
// d.dddE-n.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// strconv's 'e' form with the shortest precision: d.ddde±XX
	shortest := strconv.FormatFloat(f, 'e', -1, bits)
	if len(shortest) < 3 || shortest[1] != '.' {
		// one digit: Java picks the decimal of one or two digits nearest the number (4.9E-324, not 5.0E-324)
		if two := strconv.FormatFloat(f, 'e', 1, bits); two[2] != '0' && readsBack(two, f, bits) {
			shortest = two
		}
	}
	mantissa, exponentText, _ := strings.Cut(shortest, "e")
	exponent, _ := strconv.Atoi(exponentText)
	digits := strings.Replace(mantissa, ".", "", 1)
	if f >= 1e-3 && f < 1e7 {
		point := exponent + 1 // digits before the decimal point
		switch {
		case point <= 0:
			return sign + "0." + strings.Repeat("0", -point) + digits
		case point >= len(digits):
			return sign + digits + strings.Repeat("0", point-len(digits)) + ".0"
		default:
			return sign + digits[:point] + "." + digits[point:]
		}
	}
	fraction := digits[1:]
	if fraction == "" {
		fraction = "0"
	}
	return sign + digits[:1] + "." + fraction + "E" + strconv.Itoa(exponent)
}

func readsBack(text string, f float64, bits int) bool {
	parsed, err := strconv.ParseFloat(text, bits)
	return err == nil && parsed == f
}

// String writes the number as Java's BigDecimal.toString: plain unless the scale is negative or the
// number is below 10^-6, then d.dddE±n.
func (d Decimal) String() string {
	digits := new(big.Int).Abs(d.Unscaled).String()
	sign := ""
	if d.Unscaled.Sign() < 0 {
		sign = "-"
	}
	scale := int(d.Scale)
	adjusted := len(digits) - 1 - scale
	switch {
	case scale == 0:
		return sign + digits
	case scale > 0 && adjusted >= -6:
		if len(digits) > scale {
			return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
		}
		return sign + "0." + strings.Repeat("0", scale-len(digits)) + digits
	}
	text := sign + digits[:1]
	if len(digits) > 1 {
		text += "." + digits[1:]
	}
	exponent := strconv.Itoa(adjusted)
	if adjusted >= 0 {
		exponent = "+" + exponent
	}
	return text + "E" + exponent
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func unitNanos(unit arrow.TimeUnit) int64 {
	return int64(unit.Multiplier())
}

// split turns a count of unit since the epoch into whole seconds and nanoseconds (0 to 10^9-1).
func split(value int64, unit arrow.TimeUnit) (seconds, nanos int64) {
	perSecond := int64(time.Second) / unitNanos(unit)
	seconds = floorDiv(value, perSecond)
	return seconds, (value - seconds*perSecond) * unitNanos(unit)
}

// year is a year as java.time writes it: four digits at least, a sign before negative years and
// before years after 9999.
func year(y int) string {
	switch {
	case y > 9999:
		return "+" + strconv.Itoa(y)
	case y < 0 && y > -1000:
		return "-" + pad(-y, 4)
	case y < 0:
		return strconv.Itoa(y)
	}
	return pad(y, 4)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

func date(t time.Time) string {
	return year(t.Year()) + "-" + pad(int(t.Month()), 2) + "-" + pad(t.Day(), 2)
}

// localDate is LocalDate.toString of a day since the epoch: 2024-01-02.
func localDate(days int64) string {
	return date(time.Unix(days*86400, 0).UTC())
}

// localTime is LocalTime.toString of a time of day in nanoseconds: 03:04, 03:04:05 or 03:04:05.500,
// the seconds only when not zero, the fraction in groups of three digits.
func localTime(nanosOfDay int64) string {
	hour, minute := nanosOfDay/int64(time.Hour), nanosOfDay/int64(time.Minute)%60
	second, nanos := nanosOfDay/int64(time.Second)%60, nanosOfDay%int64(time.Second)
	text := pad(int(hour), 2) + ":" + pad(int(minute), 2)
	if second > 0 || nanos > 0 {
		text += ":" + pad(int(second), 2) + fraction(nanos)
	}
	return text
}

// fraction is the nanoseconds after a decimal point in groups of three digits, or nothing for none.
func fraction(nanos int64) string {
	switch {
	case nanos == 0:
		return ""
	case nanos%1_000_000 == 0:
		return "." + pad(int(nanos/1_000_000), 3)
	case nanos%1_000 == 0:
		return "." + pad(int(nanos/1_000), 6)
	}
	return "." + pad(int(nanos), 9)
}

// localDateTime is LocalDateTime.toString: a timestamp without a zone, 2024-01-02T03:04:05.
func localDateTime(seconds, nanos int64) string {
	t := time.Unix(seconds, 0).UTC()
	return date(t) + "T" + localTime(int64(t.Hour())*int64(time.Hour)+int64(t.Minute())*int64(time.Minute)+
		int64(t.Second())*int64(time.Second)+nanos)
}

// instant is Instant.toString: a zoned timestamp in UTC with its seconds always, 2024-01-02T03:04:00Z.
func instant(seconds, nanos int64) string {
	t := time.Unix(seconds, 0).UTC()
	return date(t) + "T" + pad(t.Hour(), 2) + ":" + pad(t.Minute(), 2) + ":" + pad(t.Second(), 2) + fraction(nanos) + "Z"
}

// period is java.time's Period.toString of months and days: P14M3D, or P0D.
func period(months, days int32) string {
	if months == 0 && days == 0 {
		return "P0D"
	}
	text := "P"
	if months != 0 {
		text += strconv.Itoa(int(months)) + "M"
	}
	if days != 0 {
		text += strconv.Itoa(int(days)) + "D"
	}
	return text
}

// duration is java.time's Duration.toString of nanoseconds: PT1H2M3.5S, PT-1.5S, or PT0S.
func duration(totalNanos int64) string {
	seconds := floorDiv(totalNanos, int64(time.Second))
	nanos := totalNanos - seconds*int64(time.Second)
	if seconds == 0 && nanos == 0 {
		return "PT0S"
	}
	effective := seconds
	if seconds < 0 && nanos > 0 {
		effective++
	}
	hours, minutes, secs := effective/3600, effective%3600/60, effective%60
	text := "PT"
	if hours != 0 {
		text += strconv.FormatInt(hours, 10) + "H"
	}
	if minutes != 0 {
		text += strconv.FormatInt(minutes, 10) + "M"
	}
	if secs == 0 && nanos == 0 && len(text) > 2 {
		return text
	}
	if seconds < 0 && nanos > 0 && secs == 0 {
		text += "-0"
	} else {
		text += strconv.FormatInt(secs, 10)
	}
	if nanos > 0 {
		shown := nanos
		if seconds < 0 {
			shown = int64(time.Second) - nanos
		}
		text += strings.TrimRight("."+pad(int(shown), 9), "0")
	}
	return text + "S"
}
