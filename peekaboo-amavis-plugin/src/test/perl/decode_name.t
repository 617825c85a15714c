#!/usr/bin/perl
# Decoding of single declared file names: RFC 2047, RFC 2231, raw 8-bit
# bytes, and the raw name whenever decoding fails.
use strict;
use warnings;
use utf8;
use FindBin ();
use lib "$FindBin::Bin/lib";
use Test::More;
use Peekaboo::PluginUnderTest;

Peekaboo::PluginUnderTest::load();

sub decoded { my ($text, $ok) = Peekaboo::AmavisPlugin::decode_name($_[0]); return [$text, $ok] }

# RFC 2047
is_deeply(decoded('=?utf-8?B?w6TDtsO8LnBkZg==?='), ['äöü.pdf', 1], 'B encoding, UTF-8');
is_deeply(decoded('=?ISO-8859-1?Q?K=E4se_und_Brot.pdf?='), ['Käse und Brot.pdf', 1], 'Q encoding, underscore is a space');
is_deeply(decoded('=?utf-8?q?a?= =?utf-8?q?b?=  =?utf-8?b?Yw==?=.txt'), ['abc.txt', 1],
          'white space between adjacent encoded words is dropped');
is_deeply(decoded('Bericht =?utf-8?Q?f=C3=BCr?= Mai.doc'), ['Bericht für Mai.doc', 1],
          'encoded word between plain text keeps the spaces around it');
is_deeply(decoded('=?utf-8?B?w6TDtsO8?'), ['=?utf-8?B?w6TDtsO8?', 1], 'an unterminated word is plain text');
is_deeply(decoded('=?utf-8?B?w6TDtsO8LnBkZg?='), ['äöü.pdf', 1], 'B encoding without padding');
is_deeply(decoded('=?windows-1251?B?z/Du4uXw6uAuZG9j?='), ['Проверка.doc', 1], 'B encoding, Cyrillic charset');

# RFC 2231 as MIME-tools hands it to amavis (re-encoded as Q word with *language)
is_deeply(decoded("=?utf-8*de?Q?Pr=C3=BCfbericht_f=C3=BCr_das_Quartal.txt?="),
          ['Prüfbericht für das Quartal.txt', 1], 'RFC 2231 with language, via MIME-tools');
is_deeply(decoded("=?utf-8?Q?it's=20=E2=80=93=20fine?="), ["it's – fine", 1], 'RFC 2231 without language');
# RFC 2231 as written in the header (continuations already joined)
is_deeply(decoded("utf-8''Pr%C3%BCfbericht%20f%C3%BCr%20das%20Quartal.txt"),
          ['Prüfbericht für das Quartal.txt', 1], 'raw RFC 2231 value');
is_deeply(decoded("iso-8859-1'de'K%E4se.pdf"), ['Käse.pdf', 1], 'raw RFC 2231 value with language, Latin-1');
is_deeply(decoded("it's'a'name.txt"), ["it's'a'name.txt", 1], 'apostrophes without a known charset are a plain name');

# raw 8-bit names (no encoding declared)
is_deeply(decoded("Gr\xC3\xBC\xC3\x9Fe.doc"), ['Grüße.doc', 1], 'raw UTF-8 bytes');
is_deeply(decoded("K\xE4se.pdf"), ['Käse.pdf', 1], 'raw Latin-1 bytes');
is_deeply(decoded("\x93quoted\x94.txt"), ["\x{201C}quoted\x{201D}.txt", 1], 'raw Windows-1252 bytes');
is_deeply(decoded('plain.txt'), ['plain.txt', 1], 'ASCII');
my $chars = "bereits dekodiert \x{263A}.txt";
is_deeply(decoded($chars), [$chars, 1], 'text amavis already decoded is kept');

# broken encodings: the raw name, flagged as not decoded
is_deeply(decoded('=?x-unknown?Q?caf=E9?=.bin'), ['=?x-unknown?Q?caf=E9?=.bin', 0], 'unknown charset');
is_deeply(decoded('=?utf-8?B?!!!?='), ['=?utf-8?B?!!!?=', 0], 'B encoding with invalid characters');
is_deeply(decoded('=?utf-8?B?w6TDt?='), ['=?utf-8?B?w6TDt?=', 0], 'B encoding of impossible length');
is_deeply(decoded('=?utf-8?Q?caf=E9?='), ['=?utf-8?Q?caf=E9?=', 0], 'bytes invalid in the declared charset');
is_deeply(decoded('=?utf-8?Q?caf=G9?='), ['=?utf-8?Q?caf=G9?=', 0], 'Q encoding with a bad escape');
is_deeply(decoded("utf-8''caf%E9.txt"), ["utf-8''caf%E9.txt", 0], 'RFC 2231 bytes invalid in the charset');
is_deeply(decoded("=?utf-8?Q?ok?= K\xE4se"), ['ok Käse', 1], 'raw Latin-1 next to an encoded word');

# nothing to decode
is_deeply(decoded(undef), [undef, 0], 'undef');
is_deeply(decoded(''), [undef, 0], 'empty');

# text the daemon could not read as UTF-8 is replaced, not sent
is(Peekaboo::AmavisPlugin::sanitize_text("a\x{D800}b\x{110000}c"), "a\x{FFFD}b\x{FFFD}c",
   'surrogates and code points beyond Unicode become U+FFFD');

done_testing();
