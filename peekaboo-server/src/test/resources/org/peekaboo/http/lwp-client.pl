#!/usr/bin/perl
# Uploads a file and polls its report with LWP the way PeekabooAV 2.1's amavis plugin
# (10-ask_peekaboo) does: the form part's Content-Disposition written by hand with the name
# RFC 2231-encoded, the part's declared type, the MIME part's disposition in
# X-Content-Disposition. Prints the job id, then the status and body of the first report that
# is not 404.
#
# Usage: lwp-client.pl BASE_URL FILE NAME TYPE DISPOSITION
use strict;
use warnings;
use Encode qw(encode);
use HTTP::Request::Common qw(POST GET);
use LWP::UserAgent;
use URI::Escape qw(uri_escape);

my ($base, $file, $name, $type, $disposition) = @ARGV;
binmode STDOUT, ':raw';
# The name arrives as UTF-8 bytes in @ARGV; percent-encode those bytes.
my $encoded = uri_escape($name);
my $ua = LWP::UserAgent->new(timeout => 60);
my $response = $ua->request(POST "$base/v1/scan",
    Content_Type => 'form-data',
    'X-Content-Disposition' => $disposition,
    Content => [file => [$file, undef,
        'Content-Disposition' => qq(form-data; name="file"; filename*="utf-8''$encoded"),
        'Content-Type' => $type]]);
die 'submit: ' . $response->status_line . "\n" unless $response->code == 200;
my ($job) = $response->decoded_content =~ /"job_id"\s*:\s*(\d+)/ or die "no job id\n";
print "job $job\n";
for (my $round = 0; $round < 1200; $round++) {
    my $report = $ua->request(GET sprintf('%s/v1/report/%d', $base, $job));
    if ($report->code != 404) {
        print 'status ', $report->code, "\n", $report->content, "\n";
        exit 0;
    }
    select(undef, undef, undef, 0.1);
}
die "job $job never finished\n";
