/*
** wire.c: ISO-8601 times and base64 versions; see wire.h.
*/
#include "sim/wire.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Time                                                                 */

static int64_t
wire_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
wire_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

#define WIRE_DAY_MS	86400000LL

static int64_t
wire_time_min(void)
{
	return wire_days_from_civil(0, 1, 1) * WIRE_DAY_MS;
}

static int64_t
wire_time_max(void)
{
	return wire_days_from_civil(9999, 12, 31) * WIRE_DAY_MS +
	    WIRE_DAY_MS - 1;
}

/* Writes v as exactly n decimal digits (the low ones), no terminator. */
static void
wire_put_digits(char *out, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10u);
		v /= 10u;
	}
}

void
wire_format_time(int64_t ms, char out[32])
{
	int y, mo, d;
	int64_t day, rem;

	if (ms < wire_time_min())
		ms = wire_time_min();
	if (ms > wire_time_max())
		ms = wire_time_max();
	day = ms >= 0 ? ms / WIRE_DAY_MS : -((-ms + WIRE_DAY_MS - 1) /
	    WIRE_DAY_MS);
	rem = ms - day * WIRE_DAY_MS;
	wire_civil_from_days(day, &y, &mo, &d);
	/* Every field is in range after the clamp.  Written digit by digit:
	** a seed of 100,000 rows and every pulled row format a time, and
	** printf's parsing of the format was a tenth of such a run. */
	wire_put_digits(out, (unsigned)y % 10000u, 4);
	out[4] = '-';
	wire_put_digits(out + 5, (unsigned)mo, 2);
	out[7] = '-';
	wire_put_digits(out + 8, (unsigned)d, 2);
	out[10] = 'T';
	wire_put_digits(out + 11, (unsigned)(rem / 3600000), 2);
	out[13] = ':';
	wire_put_digits(out + 14, (unsigned)(rem / 60000 % 60), 2);
	out[16] = ':';
	wire_put_digits(out + 17, (unsigned)(rem / 1000 % 60), 2);
	out[19] = '.';
	wire_put_digits(out + 20, (unsigned)(rem % 1000), 3);
	out[23] = 'Z';
	out[24] = '\0';
}

/* Reads exactly n digits at *p. */
static int
wire_digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
wire_parse_time(const char *s, int64_t *ms, int *subms)
{
	int y, mo, d, h, mi, sec = 0, frac = 0, sub = 0, oh = 0, om = 0;
	int sign = 0;
	const char *p = s;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (s == NULL)
		return -1;
	if (wire_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    wire_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    wire_digits(&p, 2, &d) < 0 || (*p != 'T' && *p != 't'))
		return -1;
	p++;
	if (wire_digits(&p, 2, &h) < 0 || *p++ != ':' ||
	    wire_digits(&p, 2, &mi) < 0)
		return -1;
	if (*p == ':') {
		p++;
		if (wire_digits(&p, 2, &sec) < 0)
			return -1;
		if (*p == '.') {
			int n = 0;
			p++;
			while (isdigit((unsigned char)*p)) {
				if (n < 3)
					frac = frac * 10 + (*p - '0');
				else if (*p != '0')
					sub = 1;
				n++;
				p++;
			}
			if (n == 0 || n > 7)
				return -1;
			for (int i = n; i < 3; i++)
				frac *= 10;
		}
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (wire_digits(&p, 2, &oh) < 0 || *p++ != ':' ||
		    wire_digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59 || d < 1)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return -1;
	int64_t t = wire_days_from_civil(y, mo, d) * WIRE_DAY_MS +
	    (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)sec * 1000 +
	    frac - (int64_t)sign * ((int64_t)oh * 3600000 +
	    (int64_t)om * 60000);
	if (t < wire_time_min() || t > wire_time_max())
		return -1;
	*ms = t;
	if (subms)
		*subms = sub;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Versions                                                             */

static const char wire_b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
wire_version_b64(long long version, char out[32])
{
	char dec[24];
	int n = snprintf(dec, sizeof dec, "%lld", version);
	size_t o = 0;

	for (int i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)dec[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)(unsigned char)dec[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned)(unsigned char)dec[i + 2];
		out[o++] = wire_b64chars[(v >> 18) & 63];
		out[o++] = wire_b64chars[(v >> 12) & 63];
		out[o++] = i + 1 < n ? wire_b64chars[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? wire_b64chars[v & 63] : '=';
	}
	out[o] = '\0';
}

int
wire_b64_decode(const char *b64, char dec[24])
{
	size_t n = strlen(b64);
	int o = 0;

	if (n == 0 || n % 4 != 0 || n > 28)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (size_t j = 0; j < 4; j++) {
			const char *c = strchr(wire_b64chars, b64[i + j]);
			if (b64[i + j] == '=' && i + 4 == n && j >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (c == NULL || pad)
				return -1;
			v = (v << 6) | (unsigned)(c - wire_b64chars);
		}
		dec[o++] = (char)(v >> 16);
		if (pad < 2)
			dec[o++] = (char)((v >> 8) & 255);
		if (pad < 1)
			dec[o++] = (char)(v & 255);
	}
	dec[o] = '\0';
	return o;
}

int
wire_version_parse(const char *b64, long long *version)
{
	char dec[24];
	int o;

	if (b64 == NULL || (o = wire_b64_decode(b64, dec)) < 0)
		return -1;
	/* The decoded text must be exactly what wire_version_b64 writes. */
	if (dec[0] == '0' && o > 1)
		return -1;
	for (int i = (dec[0] == '-'); i < o; i++)
		if (!isdigit((unsigned char)dec[i]))
			return -1;
	if (dec[0] == '-' && (o == 1 || dec[1] == '0'))
		return -1;
	errno = 0;
	long long v = strtoll(dec, NULL, 10);
	if (errno != 0)
		return -1;
	/* Reject non-canonical padding bits by re-encoding. */
	char again[32];
	wire_version_b64(v, again);
	if (strcmp(again, b64) != 0)
		return -1;
	*version = v;
	return 0;
}
