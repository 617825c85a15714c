#!/usr/bin/perl
# The request line: choice of the best declared name, the declared type,
# JSON building (escaping, UTF-8, order of the parts).
use strict;
use warnings;
use utf8;
use Encode ();
use FindBin ();
use lib "$FindBin::Bin/lib";
use JSON::PP ();
use Test::More;
use Peekaboo::PluginUnderTest;

Peekaboo::PluginUnderTest::load();
my $Part = 'Peekaboo::PluginUnderTest::Part';

sub decoded_text { my $bytes = shift; return Encode::decode('UTF-8', $bytes, Encode::FB_CROAK()) }
# a character string as amavis' decoding yields it (UTF8 flag on, also for ASCII)
sub chars { my $text = shift; utf8::upgrade($text); return $text }

subtest 'best name from raw header values (the MIME hook)' => sub {
  my $best = \&Peekaboo::AmavisPlugin::best_of_raw_names;
  is($best->('=?utf-8?B?w6TDtsO8LnBkZg==?=', '=?iso-8859-1?Q?K=E4se.pdf?='), 'äöü.pdf',
     'Content-Disposition filename before Content-Type name');
  is($best->(undef, '=?iso-8859-1?Q?K=E4se.pdf?='), 'Käse.pdf', 'Content-Type name when there is no filename');
  is($best->('', 'name.txt'), 'name.txt', 'empty filename is absent');
  is($best->('=?x-unknown?Q?a?=', "Gr\xC3\xBC\xC3\x9Fe.doc"), 'Grüße.doc',
     'a name that decodes beats one that does not');
  is($best->('=?x-unknown?Q?a?=', '=?utf-8?B?!!?='), '=?x-unknown?Q?a?=', 'none decodes: the first raw name');
  is($best->(undef, undef), undef, 'no names');
};

subtest 'best name from amavis name_declared' => sub {
  my $best = \&Peekaboo::AmavisPlugin::best_declared_name;
  # what amavis builds: decoded (characters) before raw (bytes), per header
  my $latin1_reading = Encode::decode('iso-8859-1', "Gr\xC3\xBC\xC3\x9Fe.doc");
  is($best->([$latin1_reading, "Gr\xC3\xBC\xC3\x9Fe.doc"]), 'Grüße.doc',
     'raw UTF-8 wins over amavis reading it as Latin-1');
  my $partial = chars('ä');    # amavis keeps what decoded before an unknown charset
  is($best->([$partial, '=?utf-8?B?w6Q=?==?x-unknown?Q?b?=']), '=?utf-8?B?w6Q=?==?x-unknown?Q?b?=',
     'the raw name when decoding fails, not amavis partial result');
  is($best->([chars('äöü.pdf'), '=?utf-8?B?w6TDtsO8LnBkZg==?=',
              chars('Käse.pdf'), '=?iso-8859-1?Q?K=E4se.pdf?=']), 'äöü.pdf',
     'four variants: the first header that decodes');
  is($best->('inner/evil.txt'), 'inner/evil.txt', 'a single string (archive member)');
  is($best->(chars('schon dekodiert.txt')), 'schon dekodiert.txt', 'only a decoded name');
  is($best->(["\x{FFFD}x.txt", chars('y.txt')]), 'y.txt',
     'decoded names with replacement characters come last');
  is($best->([chars('ä'), '=?utf-8?B?w6Q=?=', chars('b'), '=?x-unknown?Q?b?=']), 'ä',
     'a later raw name that fails does not matter when an earlier one decodes');
  is($best->([undef, '']), undef, 'nothing usable');
  is($best->(undef), undef, 'no name');
};

subtest 'declared type' => sub {
  my $type = \&Peekaboo::AmavisPlugin::first_declared_type;
  is($type->('application/pdf'), 'application/pdf', 'a string');
  is($type->(['application/pdf', 'text/plain']), 'application/pdf', 'declared, not effective');
  is($type->(undef), undef, 'none');
};

subtest 'request line' => sub {
  my %parts = (
    p002 => $Part->new(name_declared => '=?utf-8?Q?caf=C3=A9_"quoted"_\\back.txt?=',
                       type_declared => ['text/plain', 'application/octet-stream'],
                       peekaboo_mime => { disposition => 'attachment',
                                          names => ["say \"hi\"\n\\ \x{01}.txt", undef] }),
    p010 => $Part->new(name_declared => "Gr\xC3\xBC\xC3\x9Fe.doc", type_declared => 'application/msword'),
    p003 => $Part->new(name_declared => '=?utf-8?Q?caf=C3=A9.txt?='),
    p004 => $Part->new(),
  );
  my $line = Peekaboo::AmavisPlugin::build_request([qw(p010 p003 p002 p004 p999)], \%parts, '/var/amavis/parts');
  like($line, qr/\A[^\n]+\n\z/, 'exactly one line');
  ok(defined eval { decoded_text($line) }, 'valid UTF-8');
  my $request = JSON::PP->new->utf8->decode($line);
  is_deeply($request, [
    { full_name => '/var/amavis/parts/p002', name_declared => "say \"hi\"\n\\ \x{01}.txt",
      type_declared => 'text/plain', content_disposition => 'attachment' },
    { full_name => '/var/amavis/parts/p003', name_declared => 'café.txt' },
    { full_name => '/var/amavis/parts/p004' },
    { full_name => '/var/amavis/parts/p010', name_declared => 'Grüße.doc', type_declared => 'application/msword' },
    { full_name => '/var/amavis/parts/p999' },
  ], 'parts in amavis order, names decoded, hostile characters survive the round trip');
  unlike(substr($line, 0, -1), qr/[\x00-\x1F]/, 'control characters are escaped, so the request stays one line');
};

subtest 'request with a name the daemon could not read' => sub {
  my %parts = (p001 => $Part->new(name_declared => chars('x') . "\x{D800}.txt"));
  my $line = Peekaboo::AmavisPlugin::build_request(['p001'], \%parts, '/p');
  is(JSON::PP->new->utf8->decode($line)->[0]{name_declared}, "x\x{FFFD}.txt", 'surrogate replaced');
};

done_testing();
