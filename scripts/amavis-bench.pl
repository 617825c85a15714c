#!/usr/bin/perl
# Measures mails/s and latency through amavis (or any SMTP server): sends COUNT mails,
# each with ATTACHMENTS distinct small text attachments, on PARALLEL connections, and
# prints the SMTP replies seen, mails/s and the median and p90 of the time from the end of
# DATA to amavis' reply (that is where amavis scans).
#
#   scripts/amavis-bench.pl --port 10024 --count 200 --attachments 1 --parallel 2
#
# With several ports (--port 10124,10125) every mail goes to each of them in turn, so that
# amavis instances with different scanners are compared under the same load at the same
# moment (a shared machine's noise then hits all of them alike); one line per port follows.
#
# Only core Perl (Net::SMTP, MIME::Base64, Time::HiRes).
use strict;
use warnings;
use Getopt::Long;
use Net::SMTP;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);
use POSIX qw(ceil);

my ($host, $port, $count, $attachments, $parallel, $to) = ('127.0.0.1', 10024, 100, 1, 1, 'alice@demo.peekaboo.test');
GetOptions('host=s' => \$host, 'port=s' => \$port, 'count=i' => \$count,
           'attachments=i' => \$attachments, 'parallel=i' => \$parallel, 'to=s' => \$to)
    or die "usage: $0 [--host H] [--port P[,P...]] [--count N] [--attachments K] [--parallel C] [--to ADDR]\n";
my @ports = split /,/, $port;
die "--port takes port numbers separated by commas\n" if !@ports || grep { !/\A[0-9]+\z/ } @ports;

my $run = sprintf('%d-%d', time(), $$);

sub message {
    my ($n, $to_port) = @_;
    my $boundary = "=_peekaboo_bench_$run\_$n\_$to_port";
    my $mail = "From: bench\@example.org\r\nTo: $to\r\nSubject: bench $run $n\r\n"
        . "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"$boundary\"\r\n\r\n"
        . "--$boundary\r\nContent-Type: text/plain\r\n\r\nBenchmark mail $n.\r\n";
    for my $a (1 .. $attachments) {
        my $body = encode_base64("Attachment $a of mail $n to port $to_port in run $run.\n"
            . ('lorem ipsum ' x 20) . "\n", "\r\n");
        $mail .= "--$boundary\r\nContent-Type: text/plain; name=\"a$a.txt\"\r\n"
            . "Content-Disposition: attachment; filename=\"a$a.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n$body";
    }
    return $mail . "--$boundary--\r\n";
}

# Each worker sends its share and writes "port latency code" lines to a pipe.
my @readers;
my $started = time();
for my $w (0 .. $parallel - 1) {
    pipe(my $reader, my $writer) or die "pipe: $!";
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        close $reader;
        for (my $n = $w; $n < $count; $n += $parallel) {
            for my $to_port (@ports) {
                my $smtp = Net::SMTP->new($host, Port => $to_port, Timeout => 600, Hello => 'bench.example.org')
                    or do { print {$writer} "$to_port 0 connect\n"; next };
                $smtp->mail('bench@example.org');
                $smtp->to($to);
                $smtp->data();
                $smtp->datasend(message($n, $to_port));
                my $sent = time();
                $smtp->dataend();
                my $code = $smtp->code() || 'none';
                printf {$writer} "%s %.6f %s\n", $to_port, time() - $sent, $code;
                $smtp->quit();
            }
        }
        close $writer;
        exit 0;
    }
    close $writer;
    push @readers, $reader;
}
my (%latencies, %codes);
for my $reader (@readers) {
    while (my $line = <$reader>) {
        my ($to_port, $latency, $code) = split ' ', $line;
        push @{ $latencies{$to_port} }, $latency;
        $codes{$to_port}{$code}++;
    }
}
1 while wait() > 0;
my $elapsed = time() - $started;
my $sent = 0;
$sent += @{ $latencies{$_} || [] } for @ports;
my $median_line = sub {
    my @sorted = sort { $a <=> $b } @{ $latencies{ $_[0] } || [] };
    return '' if !@sorted;
    my $pick = sub { $sorted[ceil($_[0] * @sorted) - 1] * 1000 };
    return sprintf "latency end of DATA -> reply: median %.0f ms, p90 %.0f ms", $pick->(0.5), $pick->(0.9);
};
my $replies = sub { my $c = $codes{ $_[0] } || {}; join(', ', map { "$_ x$c->{$_}" } sort keys %$c) };
if (@ports == 1) {
    printf "mails: %d with %d attachment(s) on %d connection(s) to %s:%d\n", $sent, $attachments, $parallel, $host, $port;
    printf "elapsed: %.2f s, mails/s: %.2f\n", $elapsed, $sent / $elapsed;
    my $latency = $median_line->($port);
    print "$latency\n" if $latency;
    print "replies: ", $replies->($port), "\n";
} else {
    printf "mails: %d with %d attachment(s) on %d connection(s), each in turn to %s port %s\n", $sent, $attachments,
        $parallel, $host, join(', ', @ports);
    printf "elapsed: %.2f s, mails/s: %.2f\n", $elapsed, $sent / $elapsed;
    printf "port %s: %s; replies: %s\n", $_, $median_line->($_), $replies->($_) for @ports;
}
