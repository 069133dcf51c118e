using System;
using System.Collections.Generic;

namespace Demo.Service;

/// <summary>Turns paid baskets into invoices.</summary>
public sealed class InvoiceWorker
{
    private readonly List<string> _log = new();

    /// <summary>Creates an invoice number for a basket.</summary>
    public string CreateInvoice(int basketId, long cents)
    {
        var number = Format(basketId);
        _log.Add(number);
        Console.WriteLine($"{number}: {cents} cents");
        return number;
    }

    private static string Format(int basketId) => $"INV-{basketId:D6}";
}
