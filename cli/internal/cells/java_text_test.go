package cells

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

// The expected texts are what the JVM client prints for the same values (Jackson's Schubfach writer,
// as Java 19 and later print them).
func TestJavaFloat(t *testing.T) {
	tenth := 0.1
	doubles := map[float64]string{
		0.001: "0.001", 0.002: "0.002", 1e7: "1.0E7", 9999999.0: "9999999.0", 1e-4: "1.0E-4", 5e-324: "4.9E-324",
		1e22: "1.0E22", 123456789012.0: "1.23456789012E11", tenth + 0.2: "0.30000000000000004", 100: "100.0",
		3 * 5e-324:           "1.5E-323",
		math.Copysign(0, -1): "-0.0", 0: "0.0", -2.5: "-2.5", math.NaN(): "NaN", math.Inf(1): "Infinity",
		math.Inf(-1): "-Infinity", 123456.789: "123456.789",
	}
	for value, want := range doubles {
		if got := javaFloat(value, 64); got != want {
			t.Errorf("Double %v: got %s, want %s", value, got, want)
		}
	}
	floats := map[float32]string{0.1: "0.1", 1e10: "1.0E10", 1e-5: "1.0E-5", 3.4028235e38: "3.4028235E38", 16777216: "1.6777216E7", math.SmallestNonzeroFloat32: "1.4E-45"}
	for value, want := range floats {
		if got := javaFloat(float64(value), 32); got != want {
			t.Errorf("Float %v: got %s, want %s", value, got, want)
		}
	}
}

func TestDecimal(t *testing.T) {
	cases := []struct {
		unscaled int64
		scale    int32
		want     string
	}{
		{1, 7, "1E-7"}, {-12345, 12, "-1.2345E-8"}, {12345, 2, "123.45"}, {5, 3, "0.005"}, {0, 2, "0.00"},
		{-1, 6, "-0.000001"}, {42, 0, "42"}, {12, -3, "1.2E+4"},
	}
	for _, c := range cases {
		if got := (Decimal{big.NewInt(c.unscaled), c.scale}).String(); got != c.want {
			t.Errorf("%d scale %d: got %s, want %s", c.unscaled, c.scale, got, c.want)
		}
	}
}

func TestTimes(t *testing.T) {
	checks := map[string]string{
		localDate(0):                                  "1970-01-01",
		localDate(2932897):                            "+10000-01-01",
		localDate(-721354):                            "-0005-01-01",
		localTime(12 * 3600 * 1e9):                    "12:00",
		localTime((12*3600 + 1) * 1e9):                "12:00:01",
		localTime(12*3600*1e9 + 5e8):                  "12:00:00.500",
		localTime(3723*1e9 + 123456000):               "01:02:03.123456",
		localTime(3723*1e9 + 123456789):               "01:02:03.123456789",
		localDateTime(1704164640, 0):                  "2024-01-02T03:04",
		localDateTime(1704164645, 123456000):          "2024-01-02T03:04:05.123456",
		instant(1704164640, 0):                        "2024-01-02T03:04:00Z",
		instant(-1, 999000000):                        "1969-12-31T23:59:59.999Z",
		instant(253402300800, 5000):                   "+10000-01-01T00:00:00.000005Z",
		period(14, 3) + " " + duration(3723500000000): "P14M3D PT1H2M3.5S",
		period(0, 0) + " " + duration(0):              "P0D PT0S",
		duration(-1500000000):                         "PT-1.5S",
		duration(-500000000):                          "PT-0.5S",
		duration(-3600000000000):                      "PT-1H",
	}
	for got, want := range checks {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestJSONStringsAsJackson(t *testing.T) {
	var s strings.Builder
	writeJSON(&s, List{"<a&b>", "\u2028", "tab\tbell\a", "ü😀", Double(math.NaN()), Struct{{"k", nil}}}, true)
	want := `["<a&b>", "` + "\u2028" + `", "tab\tbell\u0007", "ü😀", "NaN", {"k": null}]`
	if s.String() != want {
		t.Errorf("got %s, want %s", s.String(), want)
	}
}
