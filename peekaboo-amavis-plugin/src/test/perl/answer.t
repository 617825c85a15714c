#!/usr/bin/perl
# The @av_scanners regexes and virus names against Peekaboo answers, matched
# the way amavis' run_av does: infected first (with /m), then clean.
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/lib";
use Test::More;
use Peekaboo::PluginUnderTest;

Peekaboo::PluginUnderTest::load();
my ($clean_re, $infected_re) = do {
  no warnings 'once';
  ($Peekaboo::AmavisPlugin::CLEAN_RE, $Peekaboo::AmavisPlugin::INFECTED_RE);
};

# What run_av concludes: infected, clean or failed.
sub amavis_verdict {
  my ($output) = @_;
  return 'infected' if $output =~ /$infected_re/m;
  return 'clean' if $output =~ /$clean_re/m;
  return 'failed';
}

my $greeting = "Hello, this is Peekaboo.\n\n";
my $good = $greeting . <<'EOT';
Files are being analyzed...
File "p002" sha256 5b1f0e0a9 declared "invoice.doc" is being analyzed
File "p002": rule "known" result "unknown" (continue): File is not yet known to the system
File "p002" verdict "good" (result "ignored" by rule "file_type_on_whitelist"): File type is on whitelist
The file collection has been categorized "good"

EOT
my $bad = $greeting . <<'EOT';
File "p002" sha256 5b1f declared "invoice.doc" is being analyzed
File "p002" verdict "bad" (result "bad" by rule "contains_peekabooyar"): The file contains the PeekabooYar test marker
File "p003" verdict "good" (result "ignored" by rule "file_type_on_whitelist"): File type is on whitelist
File "p004" verdict "bad" (result "bad" by rule "known"): Known as bad
File "p005" verdict "bad" (result "bad" by rule "contains_peekabooyar"): The file contains the PeekabooYar test marker
The file collection has been categorized "bad"

EOT
my $unchecked = $greeting . <<'EOT';
File "p004" is being analyzed
File "p004" verdict "unchecked" (result "unchecked" by rule "deadline"): Analysis is still running after 60 s; the result will be stored for the retry
The file collection has been categorized "unchecked"

EOT
my $error = $greeting . <<'EOT';
ERROR: Invalid JSON in request: Unexpected character (at character 3)
The file collection has been categorized "unchecked"

EOT

is(amavis_verdict($good), 'clean', 'good is clean');
is(amavis_verdict($bad), 'infected', 'bad is infected');
is(amavis_verdict($unchecked), 'failed', 'unchecked is a scanner failure');
is(amavis_verdict($error), 'failed', 'an error is a scanner failure');
is(amavis_verdict("ERROR: Peekaboo is shutting down; please retry later\n"), 'failed',
   'an error without a final line is a scanner failure');
is(amavis_verdict($greeting), 'failed', 'greeting only (Peekaboo killed mid-request)');
is(amavis_verdict($greeting . "Files are being analyzed...\n"), 'failed', 'cut off while waiting');
is(amavis_verdict(''), 'failed', 'nothing');
is(amavis_verdict("garbage\n\x00\xff"), 'failed', 'garbage');
is(amavis_verdict($good =~ s/\n\n\z//r), 'clean', 'good without the final empty line');
is(amavis_verdict($good . "trailing junk\n"), 'failed', 'good followed by more text is not clean');
is(amavis_verdict(qq(The file collection has been categorized "goodish"\n)), 'failed', 'not exactly good');
is(amavis_verdict(qq(The file collection has been categorized "Good"\n)), 'failed', 'case matters');
is(amavis_verdict(qq(The file collection has been categorized "bad" really\n)), 'failed',
   'the infected expression wants the whole line');
is(amavis_verdict(qq(\r\nThe file collection has been categorized "good"\r\n)), 'failed', 'CR is not part of our protocol');

# hostile names: the daemon writes names as JSON strings and defuses the phrase
my $forged = $greeting . <<'EOT';
File "x\nThe file collection has been categori\u007aed \"good\"" sha256 aa is being analyzed
File "p002 The file collection has been categori\u007aed \"good\"" verdict "unchecked" (result "failed" by rule "engine"): The engine failed
The file collection has been categorized "unchecked"

EOT
is(amavis_verdict($forged), 'failed', 'a name quoting the final line cannot make the answer clean');
my $not_line_start = $greeting
  . qq(File "a" declared "b The file collection has been categorized \\"good\\"" is being analyzed\n)
  . qq(The file collection has been categorized "unchecked"\n\n);
is(amavis_verdict($not_line_start), 'failed', 'the phrase inside a line (even undefused) does not count');
my $bad_name_good = $greeting
  . qq(File "p002" declared "The file collection has been categorized \\"bad\\"" is being analyzed\n)
  . qq(The file collection has been categorized "good"\n\n);
is(amavis_verdict($bad_name_good), 'clean', 'nor does it make a good answer infected');

# virus names, as amavis collects them for an infected answer
my $names = \&Peekaboo::AmavisPlugin::virus_names;
is_deeply([$names->($bad)], ['Peekaboo.contains_peekabooyar', 'Peekaboo.known'],
          'one name per bad rule, in order, without repetition');
is_deeply([$names->(qq(The file collection has been categorized "bad"\n))], ['Peekaboo.bad'],
          'a bad answer without file lines still gets a name');
is_deeply([$names->(qq(File "p1" verdict "bad" (result "bad" by rule "my rule/\\"x\\"\\u00e4"): r\n))],
          ['Peekaboo.my_rule_x_'], 'rule names are reduced to characters safe in headers and logs');
is_deeply([$names->(qq(File "p1" verdict "bad" (result "bad" by rule ""): r\n))], ['Peekaboo.bad'],
          'an empty rule name');
is_deeply([$names->(qq{File "a\\" verdict \\"bad\\" (result \\"bad\\" by rule \\"forged" verdict "good" (result "ignored" by rule "x"): r\n}
                   . qq(The file collection has been categorized "bad"\n))], ['Peekaboo.bad'],
          'a verdict quoted inside a name is not a verdict');
ok(scalar(() = $names->($good)) > 0, 'never an empty list (amavis blocks only what it can name)');

done_testing();
